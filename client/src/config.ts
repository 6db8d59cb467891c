/** Reads the presets the quick pick offers (the server validates and resolves them when a job starts). */
import * as vscode from 'vscode';
import { BUILT_IN_PRESETS } from '../../common/presets';
import type { Preset } from '../../common/settings';
import { METRICS } from '../../common/quality-metric';
import { targetText } from '../../common/segment-score';

export function presetNames(scope?: vscode.Uri): { names: string[]; defaultPreset: string | undefined; presets: Record<string, Preset> } {
  const config = vscode.workspace.getConfiguration('chunkedAv1', scope);
  const presets = config.get<Record<string, Preset>>('presets') ?? BUILT_IN_PRESETS;
  const defaultPreset = config.get<string>('defaultPreset');
  return { names: Object.keys(presets), defaultPreset: defaultPreset && defaultPreset in presets ? defaultPreset : undefined, presets };
}

export function describePreset(preset: Preset): string {
  const metric = preset.targetMetric ?? 'vmaf';
  const value = preset.target ?? preset.targetVmaf;
  // `crf 35`, `XPSNR 42 dB`, or `ssimu2 default` (the metric's default target, quality-metric.ts).
  const goal =
    preset.crf !== undefined ? `crf ${preset.crf}` : value !== undefined ? targetText(metric, value) : `${METRICS[metric].short} default`;
  return [goal, preset.preset !== undefined ? `preset ${preset.preset}` : '', preset.svtParams ?? ''].filter(Boolean).join(' · ');
}

export const VIDEO_EXTENSIONS = /\.(mkv|mp4|mov|webm|avi|m2ts|ts|m4v)$/i;

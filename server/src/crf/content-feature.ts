import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SegmentCrfContext } from './crf-strategy';
import { measureVmaf, type VmafPool } from '../vmaf';
import { runProcess } from '../sys';
import { measurementKey, type QualityCache } from './quality-cache';
import { settingsIdentity, type SegmentSettings } from './target-quality-plan';
import {
  contentWindowArgs,
  planContentWindow,
  windowFeature,
  WINDOW_CRF,
  WINDOW_PRESET,
  WINDOW_SCALE,
  type WindowFeature,
} from './content-window';

/**
 * The process side of a segment's content fingerprint (content-window.ts): one ffmpeg run (seek,
 * cut the window, scale, write the lossless reference and the tiny encode), one VMAF at that
 * size. Kept in the quality cache like every measurement, so a re-run or a resume measures
 * nothing again. Measured on bench/film (960x540, 2 s window): about 1 CPU s for the cut and
 * the encode and 0.4 s for VMAF.
 */

export interface ContentFeatureInput {
  ctx: SegmentCrfContext;
  settings: SegmentSettings;
  cache: QualityCache;
  /** Scratch directory of this segment (the two window files live there only while measured). */
  dir: string;
  identity: { source: string; keepFrom: number; keepTo: number };
  encoder: string;
  vmafSettings: { pool: string; engine: string; vmafFfmpeg?: string };
}

/** The picture the segment encode sees: the crop, else the source (only bits per pixel uses it). */
function pictureSize(ctx: SegmentCrfContext, settings: SegmentSettings): { width: number; height: number } {
  if (settings.crop) return { width: settings.crop.width, height: settings.crop.height };
  const { width, height } = ctx.media.video;
  return settings.turn === 90 || settings.turn === 270 ? { width: height, height: width } : { width, height };
}

export async function measureContentFeature(input: ContentFeatureInput): Promise<WindowFeature> {
  const { ctx, settings, cache, dir } = input;
  const picture = pictureSize(ctx, settings);
  const plan = planContentWindow({
    segment: ctx.segment,
    frameRate: ctx.media.video.frameRate,
    width: picture.width,
    height: picture.height,
  });
  const key = measurementKey({
    sample: { ...input.identity, window: { start: plan.startSeconds, frames: plan.frames, scale: plan.scaled ? WINDOW_SCALE : 1 } },
    encoder: input.encoder,
    settings: { ...(settingsIdentity(settings) as object), preset: WINDOW_PRESET, content: 'window' },
    crf: WINDOW_CRF,
    vmaf: input.vmafSettings,
  });
  const cached = cache.get(key);
  if (cached) return windowFeature({ vmaf: cached.vmaf, bytes: cached.bytes, plan });
  await mkdir(dir, { recursive: true });
  const reference = path.join(dir, 'window-reference.mkv');
  const encoded = path.join(dir, 'window-encode.mkv');
  const started = performance.now();
  try {
    await runProcess(ctx.tools.ffmpeg, contentWindowArgs(ctx.sourceFile, ctx.segment, plan, settings, reference, encoded), {
      signal: ctx.signal,
      stdout: 'ignore',
    });
    const bytes = (await stat(encoded)).size;
    // Every frame of the window: 48 small frames cost less than the ffprobe a stride would save.
    const result = await measureVmaf(reference, encoded, {
      subsample: 1,
      pool: input.vmafSettings.pool as VmafPool,
      engine: ctx.options.vmafEngine,
      signal: ctx.signal,
      tools: ctx.tools,
    });
    const seconds = (performance.now() - started) / 1000;
    await cache.putMeasurement({ key, crf: WINDOW_CRF, vmaf: result.score, bytes, seconds, segment: ctx.segment.index });
    return windowFeature({ vmaf: result.score, bytes, plan });
  } finally {
    await rm(reference, { force: true }).catch(() => undefined);
    await rm(encoded, { force: true }).catch(() => undefined);
  }
}

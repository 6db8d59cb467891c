import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared libvmaf reference corpus (../shared/vmaf-reference): clips are regenerated from
 * their recorded ffmpeg commands, checked against the recorded md5s, then scored.
 */

export interface PerFrame {
  frameNum: number[];
  vmaf: number[];
  [metric: string]: number[];
}
export interface Scores {
  pooled: { vmaf: { mean: number; harmonic_mean: number; min: number } };
  per_frame: PerFrame;
}
export interface ReferenceCase {
  id: string;
  source: string;
  width: number;
  height: number;
  bitdepth: number;
  distortion: { kind: string };
  commands: { ref: string; encode?: string; decode?: string; distort?: string };
  ref: { path: string; file_md5: string; frames: number };
  dist: { path: string; file_md5: string; frames: number };
  bitstream?: { path: string; md5: string };
  vmaf: Scores;
  vmaf_subsample8: Scores;
}
export interface ReferenceCorpus {
  cases: ReferenceCase[];
  dir: string;
}

export const REFERENCE_FEATURES = [
  'integer_adm2',
  'integer_motion2',
  'integer_vif_scale0',
  'integer_vif_scale1',
  'integer_vif_scale2',
  'integer_vif_scale3',
] as const;

export function loadReferenceCorpus(): ReferenceCorpus | undefined {
  const dir = process.env.VMAF_REFERENCE_DIR ?? path.resolve(__dirname, '../../../shared/vmaf-reference');
  const file = path.join(dir, 'vmaf_reference.json');
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as { cases: ReferenceCase[] };
  return { cases: data.cases, dir };
}

/** Splits a recorded command line (double quotes only, as the corpus writes them) into argv. */
export function splitCommand(command: string): string[] {
  const args: string[] = [];
  let current = '',
    quoted = false,
    started = false;
  for (const ch of command) {
    if (ch === '"') {
      quoted = !quoted;
      started = true;
      continue;
    }
    if (!quoted && /\s/.test(ch)) {
      if (started) args.push(current);
      current = '';
      started = false;
      continue;
    }
    current += ch;
    started = true;
  }
  if (started) args.push(current);
  return args;
}

/** Runs a recorded command in the corpus directory, without a shell. */
export function runRecorded(command: string, cwd: string): void {
  const [file, ...args] = splitCommand(command);
  execFileSync(file!, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function md5File(file: string): string {
  return createHash('md5').update(readFileSync(file)).digest('hex');
}

export interface CaseAccuracy {
  id: string;
  frames: number;
  oursMean: number;
  referenceMean: number;
  maxFrameDiff: number;
  maxFeatureRelDiff: number;
  worstFeature: string;
  seconds: number;
  skipped?: string;
}

export function accuracyTable(rows: CaseAccuracy[], title: string): string {
  const lines = [
    `### ${title}`,
    '',
    '| case | frames | ours mean | libvmaf mean | diff | max frame diff | max feature rel diff (feature) | s |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.id} | skipped: ${r.skipped} | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${r.id} | ${r.frames} | ${r.oursMean.toFixed(6)} | ${r.referenceMean.toFixed(6)} | ${(r.oursMean - r.referenceMean).toFixed(6)} | ${r.maxFrameDiff.toFixed(6)} | ${r.maxFeatureRelDiff.toExponential(2)} (${r.worstFeature}) | ${r.seconds.toFixed(1)} |`,
    );
  }
  const scored = rows.filter((r) => !r.skipped);
  if (scored.length) {
    const meanAbs = scored.reduce((s, r) => s + Math.abs(r.oursMean - r.referenceMean), 0) / scored.length;
    const worst = Math.max(...scored.map((r) => Math.abs(r.oursMean - r.referenceMean)));
    lines.push(
      '',
      `cases: ${scored.length} scored, ${rows.length - scored.length} skipped; pooled mean abs diff ${meanAbs.toFixed(6)}, worst case ${worst.toFixed(6)}; worst frame ${Math.max(...scored.map((r) => r.maxFrameDiff)).toFixed(6)}; worst feature rel diff ${Math.max(...scored.map((r) => r.maxFeatureRelDiff)).toExponential(2)}`,
    );
  }
  return lines.join('\n');
}

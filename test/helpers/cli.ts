import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';

/** The built CLI bundle: integration tests drive the real `chunked-av1` the way users run it. */
export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface CliSyncOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs `chunked-av1 ARGS…` to completion and returns its exit status, stdout and stderr. */
export function runCliSync(args: string[], options: CliSyncOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: options.env ? { ...process.env, ...options.env } : process.env,
    timeout: options.timeoutMs,
  });
}

/** TEXT as a regular expression that matches it literally. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The one stderr line for FILE: `chunked-av1: FILE: ` + CAUSE (a regular expression source), and nothing else. */
export const errorLine = (file: string, cause: string) => new RegExp(`^chunked-av1: ${escapeRegExp(file)}: ${cause}$`);

/**
 * The fastest real job the integration tests run on a generated clip: preset 13, and segments of
 * 1 s cut at keyframes (a scene split would keep a short shot whole).
 */
export const TINY_SEGMENT_FLAGS = ['--preset', '13', '--segment-seconds', '1', '--split', 'keyframe'];
/** A target-quality search on one sample of 0.5 s per segment. */
export const ONE_SHORT_SAMPLE_FLAGS = ['--samples', '1', '--sample-seconds', '0.5'];

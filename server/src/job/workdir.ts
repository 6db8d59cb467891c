import path from 'node:path';

/**
 * The work directory layout. Everything a job writes before the final output lives here:
 *   manifest.json            the job's state (manifest.ts)
 *   segments/segment_NNN.mkv the source's video, stream-copied per segment (segment.ts)
 *   encoded/segment_NNN.mkv  validated AV1 segments; written as *.tmp.mkv and renamed
 *   segment_list.txt         the concat demuxer's list (concat.ts), written once the plan exists
 */
export const MANIFEST_FILE = 'manifest.json';
export const SEGMENT_LIST_FILE = 'segment_list.txt';

export interface WorkDirLayout {
  root: string;
  manifest: string;
  segmentsDir: string;
  encodedDir: string;
  segmentList: string;
  segment(index: number): string;
  encoded(index: number): string;
  /** Where the encoder writes before validation (never mistaken for a finished segment). */
  encodedTemp(index: number): string;
}

export function segmentName(index: number): string {
  return `segment_${String(index).padStart(3, '0')}`;
}

export function workDirLayout(root: string): WorkDirLayout {
  const resolved = path.resolve(root);
  const segmentsDir = path.join(resolved, 'segments');
  const encodedDir = path.join(resolved, 'encoded');
  return {
    root: resolved,
    manifest: path.join(resolved, MANIFEST_FILE),
    segmentsDir,
    encodedDir,
    segmentList: path.join(resolved, SEGMENT_LIST_FILE),
    segment: (index) => path.join(segmentsDir, `${segmentName(index)}.mkv`),
    encoded: (index) => path.join(encodedDir, `${segmentName(index)}.mkv`),
    encodedTemp: (index) => path.join(encodedDir, `${segmentName(index)}.tmp.mkv`),
  };
}

/** Default output: INPUT_BASENAME.av1.mkv next to the input. */
export function defaultOutputPath(input: string): string {
  const parsed = path.parse(path.resolve(input));
  return path.join(parsed.dir, `${parsed.name}.av1.mkv`);
}

/** Default work directory: next to the output, named after it. */
export function defaultWorkDir(output: string): string {
  const parsed = path.parse(path.resolve(output));
  return path.join(parsed.dir, `.${parsed.base}.work`);
}

/** Temporary name of the output in the same directory (so the final rename is atomic). */
export function temporaryOutputPath(output: string): string {
  const parsed = path.parse(path.resolve(output));
  return path.join(parsed.dir, `.${parsed.name}.partial${parsed.ext}`);
}

/** The work directory a job on INPUT (with an optional OUTPUT) uses unless --work-dir is given. */
export function jobWorkDir(input: string, output?: string): string {
  return defaultWorkDir(output ?? defaultOutputPath(input));
}

import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * The work directory layout. Everything a job writes before the final output lives here:
 *   manifest.json            the job's state (job/manifest.ts)
 *   segments/segment_NNN.mkv the source's video, stream-copied per segment (segment/segment.ts)
 *   encoded/segment_NNN.mkv  validated AV1 segments; written as *.tmp.mkv and renamed
 *   segment_list.txt         the concat demuxer's list (assemble/concat-list.ts), written once the plan exists
 *   chunked-av1-workdir.json the marker: written first, when the directory is made; only a
 *                            directory holding it (or an earlier version's manifest) is ours
 * and, as a job needs them, lock, .children/<pid>, probes/segment_NNN/, quality-cache.jsonl,
 * cover_K.ext and the manifest's journal. Clean-up removes exactly these names (WORK_DIR_OWN_*).
 */
export const MANIFEST_FILE = 'manifest.json';
export const SEGMENT_LIST_FILE = 'segment_list.txt';
export const MARKER_FILE = 'chunked-av1-workdir.json';

/** Files directly in the work directory that a job writes (the marker is handled on its own). */
export const WORK_DIR_OWN_FILES =
  /^(manifest\.json|manifest\.json\.journal|manifest\.json\.\d+\.\d+\.tmp|partial-output\.json|partial-output\.json\.\d+\.\d+\.tmp|segment_list\.txt|quality-cache\.jsonl|lock|cover_\d+\.[A-Za-z0-9]{1,8})$/;

/** Sub-directories a job writes, and the names it writes in each; `tree` entries are removed whole. */
export const WORK_DIR_OWN_DIRS: Readonly<Record<string, { files?: RegExp; trees?: RegExp }>> = {
  segments: { files: /^segment_\d{3,}\.mkv$/ },
  encoded: { files: /^segment_\d{3,}(\.tmp)?\.mkv$/ },
  probes: { trees: /^segment_\d{3,}$/ },
  '.children': { files: /^\d+$/ },
  // --hosts: each remote job's files pass through here (hosts/parallel-args.ts remoteJobFiles).
  remote: { files: /^\d{1,6}-\d{1,4}\.(src\.mkv|job\.json|out\.mkv|tmp\.mkv|result\.json|quality-cache\.jsonl|joblog\.tsv)$/ },
};

/** Whether NAME, directly in a work directory, is something a job writes. */
export function isOwnWorkDirEntry(name: string): boolean {
  return name === MARKER_FILE || WORK_DIR_OWN_FILES.test(name) || Object.hasOwn(WORK_DIR_OWN_DIRS, name);
}

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

/** The longest file name (bytes) the common Linux file systems take (ext4, xfs, btrfs, tmpfs). */
export const NAME_MAX_BYTES = 255;

/**
 * A name derived from the output's, or, when that would be longer than a file name can be, a
 * short one from a hash of the output's absolute path: the same output always gives the same
 * name, so a resumed run and `status`/`clean` find it again.
 */
function derivedName(output: string, wanted: string, short: (hash: string) => string): string {
  if (Buffer.byteLength(wanted) <= NAME_MAX_BYTES) return wanted;
  return short(createHash('sha256').update(path.resolve(output)).digest('hex').slice(0, 16));
}

/** Default work directory: next to the output, named after it (hashed when the name is too long). */
export function defaultWorkDir(output: string): string {
  const parsed = path.parse(path.resolve(output));
  return path.join(
    parsed.dir,
    derivedName(output, `.${parsed.base}.work`, (hash) => `.chunked-av1-${hash}.work`),
  );
}

/** The work directory a job on INPUT (with an optional OUTPUT) uses unless --work-dir is given. */
export function jobWorkDir(input: string, output?: string): string {
  return defaultWorkDir(output ?? defaultOutputPath(input));
}

/**
 * The workspace the editor tests open: generated clips (nothing binary is committed) and a
 * `.vscode/settings.json` with a fast preset. Shared by the runner (which prepares it) and the
 * extension-host suite (which reads the names and makes one segment fail).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip } from '../helpers/clips';

export const E2E = {
  extensionId: 'chunked-av1.chunked-av1',
  clip: 'clip.mkv',
  failingClip: 'fails once.mkv',
  failingClip2: "fails again 'é'.mkv",
  uiClip: 'ui clip.mkv',
  uiFailingClip: 'ui fails.mkv',
  /** Index of the segment the failing clips lose. */
  failingSegment: 1,
  /**
   * The real fault: a directory sits where the pipeline writes that segment's encoded file, so
   * ffmpeg (or the rename after it) fails for that one segment. Removing it repairs the job.
   */
  blockSegment(workDir: string, index: number): void {
    mkdirSync(encodedSegmentPath(workDir, index), { recursive: true });
    writeFileSync(path.join(encodedSegmentPath(workDir, index), 'blocker'), 'keeps this a non-empty directory');
  },
  repairFailingClip(workDir: string, index: number): void {
    rmSync(encodedSegmentPath(workDir, index), { recursive: true, force: true });
  },
};

/** Where the pipeline puts a segment's encoded file (see server/src/pipeline.ts). */
export function encodedSegmentPath(workDir: string, index: number): string {
  return path.join(workDir, 'encoded', `${String(index).padStart(5, '0')}.mkv`);
}

export const WORK_DIRECTORY = '.av1-work';

export function workDirFor(workspace: string, clip: string): string {
  return path.join(workspace, WORK_DIRECTORY, `${clip}.chunked-av1`);
}

/** Creates the clips and settings; the failing clips get their fault planted in advance. */
export function prepareWorkspace(workspace: string): void {
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  for (const clip of [E2E.clip, E2E.failingClip, E2E.failingClip2, E2E.uiClip, E2E.uiFailingClip]) {
    // 4 s at 12 fps with a keyframe each second: two segments of 2 s, small enough for 2 cores.
    basicClip(path.join(workspace, clip), { seconds: 4, size: '192x144', fps: 12, gopFrames: 12 });
  }
  for (const clip of [E2E.failingClip, E2E.failingClip2, E2E.uiFailingClip]) E2E.blockSegment(workDirFor(workspace, clip), E2E.failingSegment);
  const settings = {
    'chunkedAv1.presets': {
      e2e: { crf: 50, preset: 13, pixelFormat: 'yuv420p' },
      quality: { targetVmaf: 80, preset: 13, samples: 1, sampleSeconds: 1 },
    },
    'chunkedAv1.defaultPreset': 'e2e',
    'chunkedAv1.segmentSeconds': 2,
    'chunkedAv1.workers': 2,
    'chunkedAv1.outputPath': '${fileDirname}/out/${fileBasenameNoExtension}.av1.mkv',
    'chunkedAv1.workDirectory': `\${workspaceFolder}/${WORK_DIRECTORY}`,
    'files.exclude': { [WORK_DIRECTORY]: true },
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': true,
  };
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

export function removeWorkspace(workspace: string): void {
  rmSync(workspace, { recursive: true, force: true });
}

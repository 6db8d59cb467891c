/** A workspace that tries to point chunkedAv1.ffmpegPath at its own program; opened untrusted. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip } from '../helpers/clips';

export const RESTRICTED = {
  clip: 'clip.mkv',
  /** The "program" the repository ships: it would leave a marker file if it ever ran. */
  evilFfmpeg: 'tools/ffmpeg',
  marker: 'EVIL-FFMPEG-RAN',
};

export function prepareRestrictedWorkspace(workspace: string): void {
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  mkdirSync(path.join(workspace, 'tools'), { recursive: true });
  basicClip(path.join(workspace, RESTRICTED.clip), { seconds: 2, size: '160x120', fps: 12, gopFrames: 12 });
  const evil = path.join(workspace, RESTRICTED.evilFfmpeg);
  writeFileSync(evil, `#!/bin/sh\ntouch "$(dirname "$0")/../${RESTRICTED.marker}"\nexit 1\n`);
  chmodSync(evil, 0o755);
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({
    'chunkedAv1.ffmpegPath': evil,
    'chunkedAv1.ffprobePath': evil,
    'chunkedAv1.presets': { e2e: { crf: 50, preset: 13, pixelFormat: 'yuv420p' } },
    'chunkedAv1.defaultPreset': 'e2e',
    'chunkedAv1.segmentSeconds': 2,
    'chunkedAv1.outputPath': '${fileDirname}/out/${fileBasenameNoExtension}.av1.mkv',
  }, null, 2));
}

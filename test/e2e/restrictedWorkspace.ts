/**
 * A workspace opened untrusted that tries to run its own program (chunkedAv1.ffmpegPath) and to
 * write where it likes: outputPath onto a file beside the workspace, workDirectory outside it, and to
 * send segments to a host of its choosing (chunkedAv1.hosts).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip } from '../helpers/clips';

export const RESTRICTED = {
  clip: 'clip.mkv',
  /** The "program" the repository ships: it would leave a marker file if it ever ran. */
  evilFfmpeg: 'tools/ffmpeg',
  marker: 'EVIL-FFMPEG-RAN',
  /** Beside the workspace folder: a file the workspace's outputPath aims at, and where its workDirectory points. */
  victim: '../victim/precious.mkv',
  victimContent: 'a file the user owns\n',
  foreignWorkDirectory: '../foreign-work',
  /** A host that does not exist, with hostsStrict: the job would fail if the workspace's hosts were read. */
  foreignHosts: ['2/intruder@nohost.invalid:2222'],
};

export function prepareRestrictedWorkspace(workspace: string): void {
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  mkdirSync(path.join(workspace, 'tools'), { recursive: true });
  basicClip(path.join(workspace, RESTRICTED.clip), { seconds: 2, size: '160x120', fps: 12, gopFrames: 12 });
  const evil = path.join(workspace, RESTRICTED.evilFfmpeg);
  writeFileSync(evil, `#!/bin/sh\ntouch "$(dirname "$0")/../${RESTRICTED.marker}"\nexit 1\n`);
  chmodSync(evil, 0o755);
  const victim = path.resolve(workspace, RESTRICTED.victim);
  mkdirSync(path.dirname(victim), { recursive: true });
  writeFileSync(victim, RESTRICTED.victimContent);
  writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify(
      {
        'chunkedAv1.ffmpegPath': evil,
        'chunkedAv1.ffprobePath': evil,
        'chunkedAv1.presets': { e2e: { crf: 50, preset: 13, pixelFormat: 'yuv420p' } },
        'chunkedAv1.defaultPreset': 'e2e',
        'chunkedAv1.segmentSeconds': 2,
        'chunkedAv1.outputPath': victim,
        'chunkedAv1.workDirectory': `\${workspaceFolder}/${RESTRICTED.foreignWorkDirectory}`,
        'chunkedAv1.hosts': RESTRICTED.foreignHosts,
        'chunkedAv1.hostsStrict': true,
      },
      null,
      2,
    ),
  );
}

/**
 * The workspace the editor tests open: generated clips (nothing binary is committed) and a
 * `.vscode/settings.json` with a fast preset. Shared by the runner (which prepares it) and the
 * extension-host suite (which reads the names and makes one segment fail).
 */
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip, ffmpegSync } from '../helpers/clips';

export const E2E = {
  extensionId: 'chunked-av1.chunked-av1',
  clip: 'clip.mkv',
  failingClip: 'fails once.ts',
  failingClip2: "fails again 'é'.ts",
  uiClip: 'ui clip.mkv',
  uiFailingClip: 'ui fails.ts',
  /** Encoded with the target-quality preset for the report step: 4 s of testsrc2, then 4 s of mandelbrot. */
  reportClip: 'ui report.mkv',
  /** The report clip's segments: 8 s cut every 2 s (chunkedAv1.segmentSeconds) at its 1 s keyframes. */
  reportSegments: 4,
  /** H.264 at CRF 51 (crude, tiny), encoded with the `grows` preset (CRF 5): the output is larger (#18). */
  uiGrowsClip: 'ui grows.mkv',
  /** 20 s with the target-quality preset: ten segments, slow enough to be cancelled mid-way (#18). */
  cancelClip: 'cancel me.mkv',
  /** Its zones file (`zones clip.mkv.zones`) is written by the zones suite after an encode, which it would otherwise steer (#26). */
  zonesClip: 'zones clip.mkv',
  /** No zones file at first: Add Zone for This Segment creates one, and the next encode follows it (#26). */
  zonesNextClip: 'zones next.mkv',
  /** Encoded by the metric suite with a preset that targets XPSNR (#25), which the suite adds to the settings itself. */
  metricClip: 'metric clip.mkv',
  /**
   * The real fault (no fake): bytes in the middle of an MPEG-TS source are overwritten, so only
   * the segment covering them decodes with errors and missing frames and fails validation; the
   * demuxer resyncs, so probing and the other segments are fine. The original bytes and the
   * file's times are kept aside so the source can be restored exactly before a retry.
   */
  breakSource(file: string): void {
    const data = readFileSync(file);
    const start = Math.floor(data.length * 0.45);
    const length = Math.floor(data.length * 0.08);
    const stat = statSync(file);
    writeFileSync(
      `${faultFile(file)}`,
      JSON.stringify({
        start,
        original: data.subarray(start, start + length).toString('base64'),
        atime: stat.atimeMs,
        mtime: stat.mtimeMs,
      }),
    );
    let seed = 12345;
    for (let i = start; i < start + length; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      data[i] = (seed >> 16) & 0xff;
    }
    writeFileSync(file, data);
  },
  repairSource(file: string): void {
    const saved = JSON.parse(readFileSync(faultFile(file), 'utf8')) as { start: number; original: string; atime: number; mtime: number };
    const data = readFileSync(file);
    Buffer.from(saved.original, 'base64').copy(data, saved.start);
    writeFileSync(file, data);
    utimesSync(file, saved.atime / 1000, saved.mtime / 1000);
  },
};

/** Where the untouched bytes of a broken source are kept (outside the workspace's visible files). */
function faultFile(source: string): string {
  return path.join(path.dirname(source), '.faults', `${path.basename(source)}.json`);
}

export const WORK_DIRECTORY = '.av1-work';

export function workDirFor(workspace: string, clip: string): string {
  return path.join(workspace, WORK_DIRECTORY, `${clip}.chunked-av1`);
}

/** Creates the clips and settings; the failing clips get their fault planted in advance. */
export function prepareWorkspace(workspace: string): void {
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  mkdirSync(path.join(workspace, '.faults'), { recursive: true });
  for (const clip of [E2E.clip, E2E.uiClip, E2E.zonesClip, E2E.zonesNextClip, E2E.metricClip]) {
    // 4 s at 12 fps with a keyframe each second: two segments of 2 s, small enough for 2 cores.
    basicClip(path.join(workspace, clip), { seconds: 4, size: '192x144', fps: 12, gopFrames: 12 });
  }
  // Two kinds of content, so the report's segments need different CRFs for the same VMAF.
  basicClip(path.join(workspace, E2E.reportClip), {
    seconds: 8,
    fps: 12,
    gopFrames: 12,
    source: 'testsrc2=s=192x144:r=12:d=4[a];mandelbrot=s=192x144:r=12,trim=duration=4[b];[a][b]concat=n=2',
  });
  basicClip(path.join(workspace, E2E.cancelClip), { seconds: 20, size: '192x144', fps: 12, gopFrames: 12 });
  // The coarsest H.264 x264 makes: AV1 at CRF 5 keeps detail it threw away, so the output grows.
  ffmpegSync([
    ...['-f', 'lavfi', '-i', 'testsrc2=s=192x144:r=12,format=yuv420p', '-t', '4'],
    ...['-c:v', 'libx264', '-crf', '51', '-preset', 'veryslow', '-g', '12', '-keyint_min', '12'],
    path.join(workspace, E2E.uiGrowsClip),
  ]);
  for (const clip of [E2E.failingClip, E2E.failingClip2, E2E.uiFailingClip]) {
    // 6 s: three segments; the broken bytes sit in the middle one.
    basicClip(path.join(workspace, clip), { seconds: 6, size: '192x144', fps: 12, gopFrames: 12 });
    E2E.breakSource(path.join(workspace, clip));
  }
  const settings = {
    'chunkedAv1.presets': {
      e2e: { crf: 50, preset: 13, pixelFormat: 'yuv420p' },
      quality: { targetVmaf: 80, preset: 13, samples: 1, sampleSeconds: 1 },
      // Every segment stops at maxCrf 20 far above VMAF 30: the max-CRF warning (#18).
      ceiling: { targetVmaf: 30, minCrf: 10, maxCrf: 20, preset: 13, samples: 1, sampleSeconds: 1 },
      // Far more bits than the crude source had: the completion message says larger (#18).
      grows: { crf: 5, preset: 13, pixelFormat: 'yuv420p' },
    },
    'chunkedAv1.defaultPreset': 'e2e',
    'chunkedAv1.segmentSeconds': 2,
    // Segments at the clips' keyframes (the setting, not the default scene split, which keeps
    // these one-shot clips whole): the tests count segments and break the middle one.
    'chunkedAv1.split': 'keyframe',
    'chunkedAv1.workers': 2,
    'chunkedAv1.outputPath': '${fileDirname}/out/${fileBasenameNoExtension}.av1.mkv',
    'chunkedAv1.workDirectory': `\${workspaceFolder}/${WORK_DIRECTORY}`,
    // The extension-host suite opens its clips by path, never from the Explorer: hidden there, so
    // the screenshots show only what the UI test clicks (the README's pictures, #23 item 5).
    'files.exclude': {
      [WORK_DIRECTORY]: true,
      '.faults': true,
      ...Object.fromEntries(
        [
          E2E.clip,
          E2E.failingClip,
          E2E.failingClip2,
          E2E.cancelClip,
          E2E.zonesClip,
          `${E2E.zonesClip}.zones`,
          E2E.zonesNextClip,
          `${E2E.zonesNextClip}.zones`,
          E2E.metricClip,
        ].map((clip) => [clip, true]),
      ),
    },
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': true,
  };
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

export function removeWorkspace(workspace: string): void {
  rmSync(workspace, { recursive: true, force: true });
}

import { printable } from '../sys';
import { UsageError } from '../errors';
import { HELP_FLAG, JSON_FLAG, parseFlags, usageText, type CommandSpec } from './flags';
import { resolveTools } from '../sys';
import { probeInput } from '../probe';
import { detectScenes } from '../probe';
import { detectCrop } from '../inspect';
import { describeCrop, planSegments, splitCuts } from '../plan';
import { parseEncodeOptions } from '../../../common/options';
import { findZonesFile, zonedPlan } from '../zones';
import { OPTION_CATALOGUE, defaultOf } from '../../../common/option-catalogue';

export const PROBE_COMMAND: CommandSpec = {
  name: 'probe',
  synopsis: 'probe INPUT [--json] [--zones FILE] [--ffprobe PATH]',
  flags: [
    JSON_FLAG,
    { name: 'zones', value: 'string', placeholder: 'FILE', help: 'plan with this zones file (default: INPUT.zones when it exists)' },
    { name: 'ffprobe', value: 'string', placeholder: 'PATH', help: 'the ffprobe to run' },
    { name: 'ffmpeg', value: 'string', placeholder: 'PATH', help: 'the ffmpeg that decodes for scene and crop detection' },
    HELP_FLAG,
  ],
  notes: [
    'Shows what the pipeline sees in INPUT: streams, colour, HDR, keyframes, scene changes, black bars,',
    "and the segment plan an encode with the default options makes (each segment's times and frames).",
    'The long steps (scene and crop detection, which decode the video) are named on stderr as they start.',
  ].join('\n'),
};

/** The segment plan as aligned rows: index, start–end in seconds, frames, why it starts there. Pure. */
export function segmentPlanLines(
  segments: readonly {
    index: number;
    frames: number;
    startSeconds: number;
    endSeconds: number;
    reason?: string;
    zone?: { index: number };
  }[],
): string[] {
  const rows = segments.map((s) => [
    String(s.index),
    `${s.startSeconds.toFixed(3)}–${s.endSeconds.toFixed(3)} s`,
    `${s.frames} frames`,
    [s.reason ?? '', s.zone ? `(zone ${s.zone.index})` : ''].filter(Boolean).join(' '),
  ]);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((row) =>
    `    ${row.map((cell, c) => (c < 3 ? (c === 0 || c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)) : cell)).join('  ')}`.trimEnd(),
  );
}

/** `chunked-av1 probe INPUT`: what the pipeline sees in INPUT (streams, colour, HDR, keyframes). */
export async function runProbeCommand(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, PROBE_COMMAND);
  if (parsed.values.help) {
    process.stdout.write(`${usageText(PROBE_COMMAND)}\n`);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UsageError('probe needs exactly one INPUT; see chunked-av1 probe --help');
  const tools = resolveTools({ ffprobe: parsed.values.ffprobe as string | undefined, ffmpeg: parsed.values.ffmpeg as string | undefined });
  const input = parsed.positionals[0]!;
  // Each long step is named as it starts (scene detection decodes every frame: tens of seconds).
  const step = (text: string) => {
    if (!parsed.values.json || process.stderr.isTTY) process.stderr.write(`chunked-av1: ${text}…\n`);
  };
  // Not named: a file that is no video must still fail in one line.
  const { media, timeline, timelineMethod, timelineSeconds } = await probeInput(tools, input);
  const zones = await findZonesFile(input, parsed.values.zones as string | undefined);
  if (zones?.discovered) process.stderr.write(`chunked-av1: using zones from ${printable(zones.file)}\n`);
  const frames = timeline.pts.length;
  const duration = frames ? timeline.pts[frames - 1]! + timeline.lastFrameSeconds - timeline.pts[0]! : 0;
  // What an encode with the default --split scene and --crop auto would find.
  const threshold = defaultOf(OPTION_CATALOGUE.sceneThreshold.schema) as number;
  step(`scene detection (decoding ${frames} frames)`);
  const sceneScan = await detectScenes(tools, media.file, media.video.index, timeline);
  const changes = sceneScan.scores.filter((s) => s.score >= threshold);
  step('crop detection');
  const cropScan = await detectCrop(tools, media.file, media.video, timeline.pts[0] ?? 0, duration);
  // The plan an encode with the default options makes from what was just found.
  const defaults = parseEncodeOptions({ input });
  const plan = zones
    ? zonedPlan(zones, timeline, media.chapters, defaults, sceneScan.scores, (level, message) => {
        if (level !== 'debug') process.stderr.write(`chunked-av1: ${printable(message)}\n`);
      })
    : planSegments(timeline, { segmentSeconds: defaults.segmentSeconds, cuts: splitCuts(timeline, defaults, sceneScan.scores) });
  const segments = plan.segments.map(({ index, startFrame, frames: count, startSeconds, endSeconds, reason, zone }) => ({
    index,
    startFrame,
    frames: count,
    startSeconds,
    endSeconds,
    ...(reason ? { reason } : {}),
    ...(zone ? { zone } : {}),
  }));
  const summary = {
    file: media.file,
    format: media.formatName,
    durationSeconds: media.durationSeconds,
    sizeBytes: media.sizeBytes,
    video: {
      ...media.video,
      frames,
      videoDurationSeconds: duration,
      variableFrameRate: timeline.variableFrameRate,
      keyframes: timeline.keyframes.length,
      keyframeSeconds: timeline.keyframes.map((k) => timeline.pts[k]),
      timelineMethod,
      timelineSeconds,
      ...(media.videoChoice ? { choice: media.videoChoice } : {}),
    },
    scenes: {
      count: changes.length + 1,
      threshold,
      changeSeconds: changes.map((s) => timeline.pts[s.frame]),
      detectionSeconds: sceneScan.seconds,
    },
    crop: {
      ...(cropScan.crop ? { rect: cropScan.crop } : {}),
      bars: cropScan.bars,
      framesSeen: cropScan.framesSeen,
      framesBlank: cropScan.framesBlank,
      detectionSeconds: cropScan.seconds,
    },
    plan: { split: defaults.split, segmentSeconds: defaults.segmentSeconds, ...(zones ? { zones: zones.file } : {}), segments },
    streams: media.streams,
    chapters: media.chapters,
    tags: media.tags,
  };
  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const v = media.video;
  const lines = [
    `${media.file}`,
    `  format     ${media.formatName}, ${media.durationSeconds.toFixed(3)} s, ${media.sizeBytes} bytes`,
    `  video      #${v.index} ${v.codec} ${v.width}x${v.height} ${v.pixFmt} (${v.bitDepth}-bit, 4:${String(v.chroma).slice(1, 2)}:${String(v.chroma).slice(2)})`,
    // Which stream is "the video" when there are several (the encode logs the same line).
    ...(media.videoChoice ? [`  chosen     ${media.videoChoice}`] : []),
    `  frames     ${frames} in ${duration.toFixed(3)} s, ${timeline.variableFrameRate ? 'variable' : 'constant'} frame rate (nominal ${v.frameRate.toFixed(3)} fps)`,
    `  keyframes  ${timeline.keyframes.length} (read from ${timelineMethod} in ${timelineSeconds.toFixed(2)} s)`,
    `  scenes     ${changes.length + 1} (${changes.length} change(s) at scene score ${threshold} or more)`,
    `  crop       ${describeCrop(v.width, v.height, cropScan)}`,
    `  segments   ${segments.length}, as an encode with the defaults plans them (--split ${defaults.split}, --segment-seconds ${defaults.segmentSeconds}${zones ? `, zones from ${zones.file}` : ''}):`,
    ...segmentPlanLines(segments),
    `  colour     primaries ${v.colour.primaries ?? '-'}, transfer ${v.colour.transfer ?? '-'}, matrix ${v.colour.matrix ?? '-'}, range ${v.colour.range ?? '-'}`,
  ];
  if (v.mastering)
    lines.push(
      `  HDR10      mastering display L(${v.mastering.maxLuminance},${v.mastering.minLuminance})${v.contentLight ? `, MaxCLL ${v.contentLight.maxCll}, MaxFALL ${v.contentLight.maxFall}` : ''}`,
    );
  if (v.dolbyVision) lines.push(`  Dolby Vision profile ${v.dolbyVision.profile ?? '?'} level ${v.dolbyVision.level ?? '?'}`);
  for (const s of media.streams) {
    if (s.index === v.index) continue;
    const tags = [s.tags.language, s.tags.title ?? s.tags.filename].filter(Boolean).join(', ');
    lines.push(`  ${s.kind.padEnd(10)} #${s.index} ${s.codec}${s.channels ? ` ${s.channels} ch` : ''}${tags ? ` (${tags})` : ''}`);
  }
  if (media.chapters.length) lines.push(`  chapters   ${media.chapters.length}`);
  process.stdout.write(`${lines.map(printable).join('\n')}\n`);
  return 0;
}

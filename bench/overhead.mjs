#!/usr/bin/env node
// bench/overhead: the chunked fixed-CRF encode against one plain `ffmpeg -c:v libsvtav1` encode of
// the same generated clip, same CRF, preset, keyint, pixel format and SVT parameters, in one run
// (issue 22 item 6: chunked / plain <= 1.05 on two cores, at 1080p, 40 s, preset 8). Reports the
// wall and CPU ratios, the CPU and summed wall of each kind of work (probe, scene detection, crop
// detection, segment copies, encodes, segment checks, concat + mux, final validation), the time
// spent outside the encode phase and the keyframe-probe time per minute of source, plus
// -show_packets against -show_frames on the same clip. Every option not named is the product's
// default (--split scene, --crop auto, --workers from the cores).
//
// CPU seconds (user+sys) are the main measure on a shared machine, where wall times are noisy:
// every ffmpeg/ffprobe the product starts goes through a small bash wrapper (CHUNKED_AV1_FFMPEG /
// CHUNKED_AV1_FFPROBE) that logs the child's CPU (`times`) with its arguments; the CLI as a whole
// runs under /usr/bin/time, so Node's own CPU is the rest. Reported per kind of work.
//
//   npm run build && nice -n 10 node bench/overhead.mjs --quick       # 1080p, 40 s, preset 8 (the real figures)
//   node bench/overhead.mjs --seconds 4 --size 640x360 --preset 12   # small smoke run
//   node bench/overhead.mjs --source kept/source.mkv --verbose       # reuse a clip, list every process
//   node bench/overhead.mjs --quick --baseline-cli /tmp/old/dist/cli.js  # A/B against another build
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '40' },
    size: { type: 'string', default: '1920x1080' },
    fps: { type: 'string', default: '24' },
    crf: { type: 'string', default: '35' },
    preset: { type: 'string', default: '8' },
    // The product's defaults (common/option-catalogue.ts).
    'segment-seconds': { type: 'string', default: '10' },
    'keyint-seconds': { type: 'string', default: '10' },
    'svt-params': { type: 'string', default: '' },
    workers: { type: 'string' },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    source: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'baseline-cli': { type: 'string' },
    /** The build measured (default: this tree's dist/cli.js): a copy keeps a long run apart from a rebuild. */
    cli: { type: 'string' },
    /** Where the figures go as JSON (besides stdout). */
    out: { type: 'string' },
  },
});
const results = { command: process.argv.slice(2).join(' '), runs: {} };
const CLI = values.cli ? path.resolve(values.cli) : path.resolve(import.meta.dirname, '../dist/cli.js');
const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-overhead-'));
const now = () => performance.now() / 1000;
const cpuLog = path.join(dir, 'tool-cpu.log');
writeFileSync(cpuLog, '');
const wrapper = (real) => {
  const file = path.join(dir, `${path.basename(real)}-timed`);
  // `times` prints the shell's own times, then its waited-for children's (all of ffmpeg's threads).
  writeFileSync(
    file,
    `#!/bin/bash\nstart=$(date +%s.%N)\n"${real}" "$@"\nrc=$?\nend=$(date +%s.%N)\ntimes > "$0.$$"\nchild=$(tail -n 1 "$0.$$")\nrm -f "$0.$$"\nprintf '%s\\t%s\\t%s\\t%s\\t%s\\0' "$child" "$start" "$end" "$(basename "${real}")" "$*" >> "${cpuLog}"\nexit $rc\n`,
  );
  chmodSync(file, 0o755);
  return file;
};
const wrapped = {
  ffmpeg: wrapper(execFileSync('which', ['ffmpeg']).toString().trim()),
  ffprobe: wrapper(execFileSync('which', ['ffprobe']).toString().trim()),
};
const bashSeconds = (text) =>
  text
    .trim()
    .split(/\s+/)
    .reduce((sum, part) => {
      const match = /^(\d+)m([\d.]+)s$/.exec(part);
      return sum + (match ? Number(match[1]) * 60 + Number(match[2]) : 0);
    }, 0);
/** What a logged command did, from its arguments (the product's own file names and flags). */
const categorise = (tool, args) => {
  if (!args.includes(' -i ') && !args.includes(' -- ')) return 'tools (version, capabilities)';
  if (args.includes('lavfi.scene_score')) return args.includes('cropdetect') ? 'scene + crop detection (one pass)' : 'scene detection';
  if (args.includes('cropdetect')) return 'crop detection';
  if (tool === 'ffprobe') {
    if (/segments\/segment_\d+\.mkv/.test(args)) return 'segment copy check (packets)';
    if (/encoded\/segment_/.test(args)) return 'segment validation';
    if (args.endsWith('source.mkv')) return 'probe (input)';
    return 'final validation';
  }
  if (args.includes('libsvtav1')) return 'segment encode';
  if (/segments\/segment_/.test(args)) return 'segment copy';
  if (args.includes('segment_list')) return 'concat + mux';
  return 'other ffmpeg';
};
/** Reads and empties the log: CPU per category and per process since the last call. */
const takeCpu = () => {
  const records = readFileSync(cpuLog, 'utf8')
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const [times, start, end, tool, args] = record.split('\t');
      return { cpu: bashSeconds(times), wall: Number(end) - Number(start), tool, args, category: categorise(tool, args) };
    });
  writeFileSync(cpuLog, '');
  const byCategory = {};
  for (const r of records) {
    const c = (byCategory[r.category] ??= { cpu: 0, wall: 0, count: 0 });
    c.cpu += r.cpu;
    c.wall += r.wall;
    c.count += 1;
  }
  return { records, byCategory, total: records.reduce((sum, r) => sum + r.cpu, 0) };
};
const printCpu = (label, cpu) => {
  console.log(`  ${label} CPU (user+sys) of tools: ${cpu.total.toFixed(2)} s`);
  for (const [k, v] of Object.entries(cpu.byCategory).sort((a, b) => b[1].cpu - a[1].cpu)) {
    console.log(
      `    ${k.padEnd(32)} ${v.cpu.toFixed(2).padStart(7)} s CPU in ${v.count} process(es), ${(v.cpu / v.count).toFixed(2)} s each, wall ${v.wall.toFixed(2)} s summed`,
    );
  }
};
const ffmpeg = (args) =>
  execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
try {
  const source = path.join(dir, 'source.mkv');
  const fps = Number(values.fps);
  let t = now();
  // A GOP of 2 s like a typical camera/broadcast source, B-frames on. --source reuses one made
  // before (with --keep): the 1080p clip takes a minute to make on 2 cores.
  if (values.source) symlinkSync(path.resolve(values.source), source);
  else
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=${values.size}:r=${fps},noise=alls=12:allf=t`,
      '-t',
      values.seconds,
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '18',
      '-g',
      String(2 * fps),
      source,
    ]);
  console.log(
    `source: ${values.size} ${values.seconds} s ${fps} fps, ${(statSync(source).size / 1048576).toFixed(1)} MiB, generated in ${(now() - t).toFixed(1)} s`,
  );

  const probeTime = (entries) => {
    const start = now();
    execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', ...entries, '-of', 'csv=p=0', source], { maxBuffer: 1 << 28 });
    return now() - start;
  };
  const packets = probeTime(['-show_entries', 'packet=pts_time,dts_time,duration_time,flags']);
  const minutes = Number(values.seconds) / 60;
  // --quick: the decoded-frames comparison costs a full decode of the clip (30 s and more).
  const frames = values.quick ? NaN : probeTime(['-show_entries', 'frame=key_frame,best_effort_timestamp_time,pkt_duration_time']);
  if (!values.quick)
    console.log(
      `keyframe list: -show_packets ${packets.toFixed(2)} s (${(packets / minutes).toFixed(2)} s per minute of source), -show_frames ${frames.toFixed(2)} s (${(frames / minutes).toFixed(2)} s/min): packets ${(frames / packets).toFixed(1)}x faster`,
    );

  const keyint = String(Math.round(Number(values['keyint-seconds']) * fps));
  const plainOut = path.join(dir, 'plain.mkv');
  takeCpu();
  t = now();
  execFileSync(
    wrapped.ffmpeg,
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-i',
      source,
      '-map',
      '0:v:0',
      '-c:v',
      'libsvtav1',
      '-crf',
      values.crf,
      '-preset',
      values.preset,
      '-g',
      keyint,
      '-pix_fmt',
      'yuv420p10le',
      ...(values['svt-params'] ? ['-svtav1-params', values['svt-params']] : []),
      plainOut,
    ],
    { stdio: 'ignore' },
  );
  const plain = now() - t;
  const plainCpu = takeCpu().total;
  results.plain = { wall: plain, cpu: plainCpu, bytes: statSync(plainOut).size };
  console.log(
    `plain ffmpeg libsvtav1: ${plain.toFixed(1)} s, ${plainCpu.toFixed(2)} s CPU, ${(statSync(plainOut).size / 1048576).toFixed(2)} MiB`,
  );

  const runChunked = async (label, cli) => {
    const chunkedOut = path.join(dir, `${label}.mkv`);
    rmSync(chunkedOut, { force: true });
    const cliTimes = path.join(dir, 'cli-times.txt');
    const args = [
      '-f',
      '%U %S',
      '-o',
      cliTimes,
      process.execPath,
      cli,
      'encode',
      source,
      '-o',
      chunkedOut,
      '--crf',
      values.crf,
      '--preset',
      values.preset,
      '--segment-seconds',
      values['segment-seconds'],
      '--keyint-seconds',
      values['keyint-seconds'],
      '--json',
    ];
    if (values['svt-params']) args.push('--svt-params', values['svt-params']);
    if (values.workers) args.push('--workers', values.workers);
    const t = now();
    const phases = [];
    let timeline;
    let plan;
    await new Promise((resolve, reject) => {
      const child = spawn('/usr/bin/time', args, {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, CHUNKED_AV1_FFMPEG: wrapped.ffmpeg, CHUNKED_AV1_FFPROBE: wrapped.ffprobe },
      });
      let pending = '';
      child.stdout.on('data', (chunk) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) {
          if (!line) continue;
          const event = JSON.parse(line);
          if (event.event === 'phase') phases.push({ phase: event.phase, at: now() - t });
          if (event.event === 'plan') plan = event;
          if (event.event === 'log' && /frame timeline from/.test(event.message))
            timeline = Number(/in ([\d.]+) s/.exec(event.message)?.[1]);
        }
      });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chunked encode exited ${code}`))));
    });
    const chunked = now() - t;
    phases.push({ phase: 'end', at: chunked });
    const spans = {};
    for (let i = 0; i < phases.length - 1; i++) spans[phases[i].phase] = (spans[phases[i].phase] ?? 0) + phases[i + 1].at - phases[i].at;
    const before = phases[0]?.at ?? 0; // process start, tool detection
    const encode = spans.encode ?? 0;
    const outside = chunked - encode;
    console.log(
      `${label} (${cli}): ${chunked.toFixed(1)} s, ${(statSync(chunkedOut).size / 1048576).toFixed(2)} MiB, ${plan?.segments} segments, ${plan?.workers} workers`,
    );
    console.log(
      `  phases (s): start ${before.toFixed(2)}, ${Object.entries(spans)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ')}`,
    );
    console.log(`  keyframe probe inside the job: ${timeline?.toFixed(2)} s (${(timeline / minutes).toFixed(2)} s per minute of source)`);
    console.log(
      `  outside the encode phase: ${outside.toFixed(1)} s = ${((outside / chunked) * 100).toFixed(1)} % of the chunked wall time (the encode phase includes per-segment validation)`,
    );
    const chunkedCpu = takeCpu();
    const [user, sys] = readFileSync(cliTimes, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    const cliCpu = user + sys;
    printCpu(label, chunkedCpu);
    console.log(`    ${'node (CLI itself, wrappers)'.padEnd(32)} ${(cliCpu - chunkedCpu.total).toFixed(2).padStart(7)} s CPU`);
    if (values.verbose)
      for (const r of chunkedCpu.records)
        console.log(
          `    ${r.cpu.toFixed(2).padStart(6)} s CPU ${r.wall.toFixed(2).padStart(6)} s wall  ${r.tool} ${r.args.replace(dir, '$DIR').slice(0, 160)}`,
        );
    console.log(`CPU ratio ${label} / plain: ${cliCpu.toFixed(2)} / ${plainCpu.toFixed(2)} = ${(cliCpu / plainCpu).toFixed(3)}`);
    console.log(`wall-time ratio ${label} / plain: ${(chunked / plain).toFixed(3)} (load average before: ${loadBefore})`);
    console.log(`cores busy (CPU / wall): ${label} ${(cliCpu / chunked).toFixed(2)}, plain ${(plainCpu / plain).toFixed(2)}`);
    results.runs[label] = {
      cli,
      wall: chunked,
      cpu: cliCpu,
      wallRatio: chunked / plain,
      cpuRatio: cliCpu / plainCpu,
      bytes: statSync(chunkedOut).size,
      segments: plan?.segments,
      workers: plan?.workers,
      phases: spans,
      byKind: { ...chunkedCpu.byCategory, node: { cpu: cliCpu - chunkedCpu.total } },
    };
    if (values.out)
      writeFileSync(
        values.out,
        `${JSON.stringify({ ...results, loadBefore, loadAfter: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') }, null, 2)}\n`,
      );
  };
  // --baseline-cli: the same chunked encode with another build (e.g. the commit before a change),
  // run right before ours so both see the same machine load.
  if (values['baseline-cli']) await runChunked('baseline', path.resolve(values['baseline-cli']));
  await runChunked('chunked', CLI);
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

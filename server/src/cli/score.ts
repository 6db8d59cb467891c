import { UsageError } from '../errors';
import { HELP_FLAG, JSON_FLAG, parseFlags, usageText, type CommandSpec } from './flags';
import { installShutdownHandlers } from '../job';
import {
  isMetricName,
  isMetricPool,
  measureSsimulacra2,
  measureXpsnr,
  METRIC_NAMES,
  poolMetric,
  type MetricName,
  type MetricPool,
} from '../metrics';
import { measureVmaf, type VmafPool } from '../vmaf';
import { runVmafCommand } from './vmaf';

export const SCORE_COMMAND: CommandSpec = {
  name: 'score',
  synopsis: 'score REFERENCE DISTORTED --metric vmaf|ssimulacra2|xpsnr [options]',
  flags: [
    { name: 'metric', value: 'string', placeholder: 'M', help: 'vmaf (default), ssimulacra2 or xpsnr' },
    { name: 'all', value: 'boolean', help: 'all three metrics side by side' },
    {
      name: 'pool',
      value: 'string',
      placeholder: 'P',
      help: "mean, harmonic or pN (the Nth percentile from the bottom);\ndefault: mean, and for XPSNR the xpsnr filter's own pooling",
    },
    JSON_FLAG,
    { name: 'ffmpeg', value: 'string', placeholder: 'PATH', help: 'the ffmpeg that decodes' },
    { name: 'ffprobe', value: 'string', placeholder: 'PATH', help: 'the ffprobe' },
    HELP_FLAG,
  ],
  notes: [
    'Scores DISTORTED against REFERENCE, every frame from the first, with the built-in engines (no libjxl, libvmaf or',
    "FFmpeg 7.1 needed). SSIMULACRA2 is computed on R'G'B' read as BT.709 limited range. XPSNR is pooled as FFmpeg's",
    'xpsnr filter pools it: the minimum of its Y, U and V averages (what ab-av1 reports); with --pool, the pool of the',
    'per-frame weighted values (4Y + U + V) / 6 (as Av1an). "--metric vmaf" is "chunked-av1 vmaf" (see its --help).',
  ].join('\n'),
};

interface MetricScore {
  metric: MetricName;
  score: number;
  pool: string;
  frameCount: number;
  frames: number[];
  /** XPSNR only: per-plane values, per frame and pooled by the filter. */
  planes?: { frames: { y: number; u: number; v: number }[]; pooled: { y: number; u: number; v: number; minimum: number } };
}

const VMAF_POOL: Record<string, string> = { harmonic: 'harmonic_mean' };

async function scoreOne(
  metric: MetricName,
  reference: string,
  distorted: string,
  pool: MetricPool | undefined,
  tools: { ffmpeg?: string; ffprobe?: string },
  signal: AbortSignal,
): Promise<MetricScore> {
  if (metric === 'vmaf') {
    const vmafPool = pool ? (VMAF_POOL[pool] ?? pool) : 'mean';
    const result = await measureVmaf(reference, distorted, { pool: vmafPool as VmafPool, tools, signal });
    return { metric, score: result.score, pool: result.pool, frameCount: result.frameCount, frames: result.frames.map((f) => f.vmaf) };
  }
  if (metric === 'ssimulacra2') {
    const result = await measureSsimulacra2(reference, distorted, { tools, signal });
    const chosen = pool ?? 'mean';
    return { metric, score: poolMetric(result.frames, chosen), pool: chosen, frameCount: result.frames.length, frames: result.frames };
  }
  const result = await measureXpsnr(reference, distorted, { tools, signal });
  const weighted = result.frames.map((f) => f.weighted);
  return {
    metric,
    score: pool ? poolMetric(weighted, pool) : result.pooled.minimum,
    pool: pool ?? 'filter minimum',
    frameCount: result.frames.length,
    frames: weighted,
    planes: { frames: result.frames.map(({ y, u, v }) => ({ y, u, v })), pooled: result.pooled },
  };
}

const LABEL: Record<MetricName, string> = { vmaf: 'VMAF', ssimulacra2: 'SSIMULACRA2', xpsnr: 'XPSNR' };

function describe(s: MetricScore): string {
  const value = `${LABEL[s.metric]} ${s.score.toFixed(s.metric === 'xpsnr' ? 4 : 6)}${s.metric === 'xpsnr' ? ' dB' : ''}`;
  const planes = s.planes ? `; y ${s.planes.pooled.y.toFixed(4)} u ${s.planes.pooled.u.toFixed(4)} v ${s.planes.pooled.v.toFixed(4)}` : '';
  return `${value} (${s.pool} of ${s.frameCount} frames${planes})`;
}

/** `chunked-av1 score REFERENCE DISTORTED --metric M`: one metric, or all three side by side. */
export async function runScoreCommand(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parseFlags(argv, SCORE_COMMAND);
  const values = flags as Record<string, string | undefined> & { help?: boolean; json?: boolean; all?: boolean };
  if (values.help) {
    process.stdout.write(`${usageText(SCORE_COMMAND)}\n`);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('score needs REFERENCE and DISTORTED; see chunked-av1 score --help');
  const metric = values.metric ?? 'vmaf';
  if (!isMetricName(metric)) throw new UsageError(`--metric must be ${METRIC_NAMES.join(', ')}, got "${metric}"`);
  const pool = values.pool;
  if (pool !== undefined && !isMetricPool(pool)) throw new UsageError(`--pool must be mean, harmonic or pN (0..100), got "${pool}"`);
  const tools = { ffmpeg: values.ffmpeg, ffprobe: values.ffprobe };
  const [reference, distorted] = positionals as [string, string];
  // One VMAF measurement is exactly `chunked-av1 vmaf` (the same engine choice and output).
  if (metric === 'vmaf' && !values.all) {
    const passed = [reference, distorted, ...(pool ? ['--pool', VMAF_POOL[pool] ?? pool] : []), ...(values.json ? ['--json'] : [])];
    for (const tool of ['ffmpeg', 'ffprobe'] as const) if (tools[tool]) passed.push(`--${tool}`, tools[tool]);
    return runVmafCommand(passed);
  }
  const controller = new AbortController();
  const removeHandlers = installShutdownHandlers(controller);
  try {
    const metrics: MetricName[] = values.all ? [...METRIC_NAMES] : [metric];
    const scores: MetricScore[] = [];
    for (const m of metrics) scores.push(await scoreOne(m, reference, distorted, pool, tools, controller.signal));
    if (values.json) process.stdout.write(`${JSON.stringify(values.all ? { scores } : scores[0], null, 2)}\n`);
    else for (const s of scores) process.stdout.write(`${describe(s)}\n`);
    return 0;
  } finally {
    removeHandlers();
  }
}

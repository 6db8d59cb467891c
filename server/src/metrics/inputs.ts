import { z } from 'zod';
import { UserError } from '../errors';
import { runProcess, type Tools } from '../sys';
import { ffprobeInput } from '../sys';
import { probeVmafInput, requireSameSize, type VmafInput } from '../vmaf';

/** What the built-in metrics need to know about an input: VMAF's facts plus the frame rate (XPSNR's temporal term). */
export interface MetricInput extends VmafInput {
  /** Frames per second as ffprobe reports the stream's r_frame_rate. */
  frameRate: number;
}

const rateSchema = z.object({ streams: z.array(z.object({ r_frame_rate: z.string().optional() })).default([]) });

function frameRateArgs(file: string, stream: number | undefined): string[] {
  return [
    '-v',
    'error',
    '-of',
    'json',
    '-select_streams',
    String(stream ?? 'v:0'),
    '-show_entries',
    'stream=r_frame_rate',
    ...ffprobeInput(file),
  ];
}

/** "30000/1001" → 29.97; 0 when unknown. */
export function parseFrameRate(text: string | undefined): number {
  const [num, den = '1'] = (text ?? '').split('/');
  const rate = Number(num) / Number(den);
  return Number.isFinite(rate) && rate > 0 ? rate : 0;
}

export async function probeMetricInput(tools: Tools, path: string, role: VmafInput['role'], signal?: AbortSignal): Promise<MetricInput> {
  const input = await probeVmafInput(tools, path, role, signal);
  const { stdout } = await runProcess(tools.ffprobe, frameRateArgs(path, input.stream), { signal });
  let frameRate = 0;
  try {
    frameRate = parseFrameRate(rateSchema.parse(JSON.parse(stdout)).streams[0]?.r_frame_rate);
  } catch {
    throw new UserError(`${role} ${path}: ffprobe output could not be read`, path);
  }
  return { ...input, frameRate };
}

/** Both inputs, probed, with the same size (the metrics compare pixel by pixel and never rescale). */
export async function probeMetricPair(
  tools: Tools,
  reference: string,
  distorted: string,
  signal?: AbortSignal,
): Promise<[MetricInput, MetricInput]> {
  const pair = await Promise.all([
    probeMetricInput(tools, reference, 'reference', signal),
    probeMetricInput(tools, distorted, 'distorted', signal),
  ]);
  requireSameSize(pair[0], pair[1]);
  return pair;
}

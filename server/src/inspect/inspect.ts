import { UserError } from '../errors';
import type { EncodeOptions } from '../../../common/options';
import type { Tools } from '../sys';
import { probeInput } from '../probe';
import type { MediaInfo } from '../probe';
import type { FrameTimeline } from '../probe';
import { ContainerError, containerFor, planMux, type MuxPlan } from '../assemble';
import { conversionNotes } from '../encode';
import { sourceBoundsProblem } from '../encode';
import { encodeBitDepth } from '../encode';
import { availableMemoryBytes } from '../sys';
import type { JobLog } from '../job';

export interface InspectedInput {
  media: MediaInfo;
  timeline: FrameTimeline;
  /** What the final mux will carry, drop or convert: known before any encode starts. */
  mux: MuxPlan;
  /** Bytes of each stream's packets in the source, by stream index. */
  bytesByStream: Map<number, number>;
}

/**
 * The probe stage: what the input holds, and every reason it cannot become this output, found
 * before anything is written (a Dolby Vision RPU that would be lost, a stream the container
 * cannot carry). What will be dropped or converted is logged here, once.
 */
export async function inspectInput(
  tools: Tools,
  input: string,
  output: string,
  options: EncodeOptions,
  log: JobLog,
  signal?: AbortSignal,
): Promise<InspectedInput> {
  // Refused before any frame is decoded: a picture SVT-AV1 cannot take, or one worker's memory.
  const memoryAtStart = await availableMemoryBytes();
  const probed = await probeInput(tools, input, signal, (video) =>
    sourceBoundsProblem(video, encodeBitDepth(options.pixelFormat), memoryAtStart),
  );
  const { media, timeline, bytesByStream } = probed;
  log('debug', `frame timeline from ${probed.timelineMethod} in ${probed.timelineSeconds.toFixed(2)} s`);
  if (media.video.dolbyVision && !options.allowDvStrip) {
    throw new UserError(
      `${input}: Dolby Vision (profile ${media.video.dolbyVision.profile ?? '?'}) would lose its RPU in a chunked encode; pass --allow-dv-strip to encode the HDR10 base layer without it`,
      input,
    );
  }
  if (media.videoChoice) log('info', media.videoChoice);
  if (media.video.dolbyVision) log('warn', 'Dolby Vision RPU dropped (--allow-dv-strip): encoding the base layer');
  let mux: MuxPlan;
  try {
    mux = planMux(media, containerFor(output), options.audio);
  } catch (error) {
    if (error instanceof ContainerError) throw new UserError(`${output}: ${error.message}`, output);
    throw error;
  }
  for (const dropped of mux.dropped) log('warn', `stream ${dropped.stream.index} (${dropped.stream.codec}) not carried: ${dropped.reason}`);
  for (const converted of mux.converted)
    log('info', `stream ${converted.stream.index} (${converted.stream.codec}) converted to ${converted.to}`);
  for (const note of conversionNotes(media, options.pixelFormat)) log('info', note);
  return { media, timeline, mux, bytesByStream };
}

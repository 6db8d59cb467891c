import { DEFAULT_CRF, qualityTargetOf, type EncodeOptions } from '../../../common/options';
import type { SegmentPlan } from '../plan';
import type { SegmentTask } from './segment-task';
import type { CropRect } from '../plan';
import { inputChange, inputIdentity, type InputIdentity } from '../probe';
import { ManifestStore, loadManifest, reconcileManifest, settingsKey, type Detection, type SegmentSettings } from './manifest';
import type { WorkDirLayout } from '../workdir';
import type { JobLog } from './job-state';
import { unloadableManifestWarning } from './manifest-problem';

/** The settings that change what an encoded segment contains (the manifest's settings key). */
export function segmentSettings(options: EncodeOptions, crop?: CropRect): SegmentSettings {
  const settings: SegmentSettings = {
    preset: options.preset,
    svtParams: options.svtParams,
    keyintSeconds: options.keyintSeconds,
    pixelFormat: options.pixelFormat,
    segmentSeconds: options.segmentSeconds,
  };
  if (crop) settings.crop = `${crop.width}:${crop.height}:${crop.x}:${crop.y}`;
  const target = qualityTargetOf(options);
  if (target) {
    Object.assign(settings, {
      ...(target.metric === 'vmaf' ? { targetVmaf: target.value } : {}),
      minCrf: options.minCrf,
      maxCrf: options.maxCrf,
      vmafPool: target.metric === 'vmaf' ? target.pool : options.vmafPool,
      samples: options.samples,
      sampleSeconds: options.sampleSeconds,
      target,
    });
    if (options.alsoScore?.length) settings.alsoScore = options.alsoScore;
  } else settings.crf = options.crf ?? DEFAULT_CRF;
  return settings;
}

/** What an earlier run in this work directory detected in this very input (scene scores, crop), if anything. */
export async function cachedDetection(layout: WorkDirLayout, input: string, identity?: InputIdentity): Promise<Detection | undefined> {
  const previous = await loadManifest(layout.manifest);
  if (!previous?.detection) return undefined;
  return inputChange(previous.input, identity ?? (await inputIdentity(input))) ? undefined : previous.detection;
}

/**
 * The manifest for this run: the previous run's records where the input, the settings and each
 * segment's frame range still match (resume), a fresh one otherwise, with this run's segment tasks.
 * Saved before any encode.
 */
export async function startManifest(
  layout: WorkDirLayout,
  input: string,
  output: string,
  options: EncodeOptions,
  plan: SegmentPlan,
  log: JobLog,
  found: { crop?: CropRect; detection?: Detection; videoStream?: number } = {},
  /** The identity the run's probe and plan were made from (default: taken now). */
  identity?: InputIdentity,
  /** Each segment's task, built with the plan (segment-task.ts). */
  tasks?: SegmentTask[],
): Promise<ManifestStore> {
  const settings = segmentSettings(options, found.crop);
  const previous = await loadManifest(layout.manifest);
  const unloadable = previous ? undefined : await unloadableManifestWarning(layout.manifest);
  if (unloadable) log('warn', unloadable);
  const { manifest, inputChanged, zoneChanged } = reconcileManifest(
    previous,
    {
      version: 1,
      input: identity ?? (await inputIdentity(input)),
      output,
      ...(tasks ? { tasks } : {}),
      settings,
      settingsKey: settingsKey(settings),
      plan,
      ...(found.detection ? { detection: found.detection } : {}),
      ...(found.videoStream !== undefined ? { videoStream: found.videoStream } : {}),
    },
    plan,
  );
  if (inputChanged) log('warn', `${input}: the input changed since the work directory was made (${inputChanged}); starting over`);
  if (zoneChanged.length)
    log('warn', `${input}: the zones changed since the last run for segment(s) ${zoneChanged.join(', ')}: encoding them again`);
  const store = new ManifestStore(layout.manifest, manifest);
  await store.save();
  return store;
}

/**
 * The editor's "Check ffmpeg" (the walkthrough's first step): runs the same tool detection an encode
 * runs (server/src/sys/tools.ts) on the ffmpeg and ffprobe the settings name, and says what is found
 * and what is missing in one line.
 */
import type { CheckToolsResult } from '../../../common/protocol';
import type { Settings } from '../../../common/settings';
import { errorMessage } from '../errors';
import { runProcess } from '../sys';
import { resolveTools, toolCapabilities } from '../sys';

export async function checkTools(settings: Pick<Settings, 'ffmpegPath' | 'ffprobePath'>): Promise<CheckToolsResult> {
  const tools = resolveTools({ ffmpeg: settings.ffmpegPath || undefined, ffprobe: settings.ffprobePath || undefined });
  const ffprobeRuns = await runProcess(tools.ffprobe, ['-hide_banner', '-version']).then(
    () => true,
    () => false,
  );
  const base = { ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe, ffprobeRuns };
  try {
    const caps = await toolCapabilities(tools);
    const result: CheckToolsResult = { ...base, version: caps.version, hasLibsvtav1: caps.hasLibsvtav1, hasLibvmaf: caps.hasLibvmaf };
    if (!caps.hasLibsvtav1) result.problem = `${tools.ffmpeg}: this ffmpeg has no libsvtav1 encoder`;
    else if (!ffprobeRuns) result.problem = `${tools.ffprobe}: ffprobe was not found or does not run`;
    return result;
  } catch (error) {
    return { ...base, hasLibsvtav1: false, hasLibvmaf: false, problem: errorMessage(error).replace(/; install an ffmpeg.*$/s, '') };
  }
}

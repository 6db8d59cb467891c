/** The text of "Check ffmpeg": what was found, and how to install ffmpeg per OS. Pure (no `vscode`). */
import type { CheckToolsResult } from '../../common/protocol';

const INSTALL: Record<string, string> = {
  win32: 'Windows: winget install Gyan.FFmpeg (the full build has libsvtav1), then restart VS Code.',
  darwin: 'macOS: brew install ffmpeg.',
  linux: 'Debian 12 / Ubuntu 23.04 or later: sudo apt install ffmpeg. Fedora: sudo dnf install ffmpeg (RPM Fusion).',
};

/** The install line for an OS (`process.platform`); other systems get every line. */
export function installHint(platform: string): string {
  return INSTALL[platform] ?? Object.values(INSTALL).join(' ');
}

/** One line for the message: what was found, or what is missing. Pure. */
export function toolCheckSummary(result: CheckToolsResult): string {
  if (result.problem) return result.problem;
  const extras = result.hasLibvmaf ? 'libsvtav1 and libvmaf' : 'libsvtav1 (VMAF runs in the built-in engine)';
  return `${result.version ?? result.ffmpeg} with ${extras}; ffprobe runs`;
}

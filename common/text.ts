/** Small text helpers shared by the server and the client (no dependencies, so the client bundle stays small). */
import type { Probe } from './events';
import { formatMetricScore } from './quality-metric';

export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

export function timeRange(range: { startSeconds: number; endSeconds: number }): string {
  return `${formatClock(range.startSeconds)}–${formatClock(range.endSeconds)}`;
}

/** `crf 20 → VMAF 93.10, crf 24 → VMAF 92.40`, each score in its probe's metric (`XPSNR 41.20 dB`). */
export function probeTable(probes: Probe[]): string {
  return probes.map((p) => `crf ${p.crf} → ${formatMetricScore(p.metric ?? 'vmaf', p.vmaf)}`).join(', ');
}

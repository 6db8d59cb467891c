/** Times and sizes as the report page writes them (film time to the hundredth; KiB/MiB). */

export function formatSeconds(value: number): string {
  const m = Math.floor(value / 60);
  const s = value - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

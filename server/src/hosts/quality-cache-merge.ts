import { qualityCacheFor, recordSchema } from '../crf';

/**
 * A remote search's new measurements and decisions join this machine's quality cache, so a retry
 * or a re-run anywhere reuses them. New = lines of the returned cache that were not in the copy
 * sent with the job. Each is parsed with the cache's own schema (anything else is skipped) and
 * written through the cache's writer (one line, fsync).
 */
export async function mergeQualityCache(file: string, sent: string, returned: string): Promise<number> {
  const known = new Set(sent.split('\n'));
  const fresh = returned.split('\n').filter((line) => line.trim() && !known.has(line));
  if (!fresh.length) return 0;
  const cache = await qualityCacheFor(file);
  let merged = 0;
  for (const line of fresh) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // torn line
    }
    const record = recordSchema.safeParse(parsed);
    if (!record.success) continue;
    const { type, ...fields } = record.data;
    if (type === 'measurement') await cache.putMeasurement(fields as Parameters<typeof cache.putMeasurement>[0]);
    else await cache.putDecision(fields as Parameters<typeof cache.putDecision>[0]);
    merged += 1;
  }
  return merged;
}

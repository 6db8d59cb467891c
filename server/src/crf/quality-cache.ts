import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * Every VMAF measurement of the search, kept in the work directory (quality-cache.jsonl beside
 * the manifest) so that a re-run or a resume never measures the same thing twice. One JSON line
 * per record, appended with a single write and fsync'd; a torn last line (killed mid-write) is
 * ignored on reading. The file also remembers the CRF chosen for each segment, which is what the
 * warm start of the neighbouring segments reads.
 */

export const QUALITY_CACHE_FILE = 'quality-cache.jsonl';

/** Everything that makes a measurement what it is; the cache key is a hash of it. */
export interface MeasurementIdentity {
  /** What was measured: e.g. the segment's source hash, its frame range and the sample ranges. */
  sample: unknown;
  /** Encoder and version, e.g. "libsvtav1 / ffmpeg version 5.1.9". */
  encoder: string;
  /** Encode settings other than the CRF (preset, SVT-AV1 parameters, pixel format, keyint...). */
  settings: unknown;
  crf: number;
  /** VMAF settings: subsample, pool, model, engine. */
  vmaf: unknown;
}

/** JSON with object keys sorted, so equal identities hash equally whatever the key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function measurementKey(identity: MeasurementIdentity): string {
  return createHash('sha256').update(stableJson(identity)).digest('hex');
}

const measurementSchema = z.object({
  type: z.literal('measurement'),
  key: z.string(),
  crf: z.number(),
  vmaf: z.number(),
  bytes: z.number(),
  seconds: z.number(),
  segment: z.number().int().optional(),
});

const decisionSchema = z.object({
  type: z.literal('decision'),
  /** Hash of the settings the decision holds for (target, range, encode and VMAF settings). */
  scope: z.string(),
  segment: z.number().int(),
  crf: z.number(),
  vmaf: z.number().optional(),
  probes: z.number().int(),
  /** The warm start the search used, replayed on a re-run so it asks for the same (cached) CRFs. */
  warmStart: z.array(z.number()).optional(),
  /** A learned search's set-up (cheap probes), replayed on a re-run: the VMAF the probes aimed at and the samples. */
  learned: z.object({ probeTarget: z.number(), samples: z.number().int(), sampleSeconds: z.number() }).optional(),
  /** The whole-segment final encodes' CRFs in the order they were made (the final-encode path), replayed on a re-run. */
  finalEncodes: z.array(z.number()).optional(),
});

/** One line of the cache file (the quality report reads the file too). */
export const recordSchema = z.discriminatedUnion('type', [measurementSchema, decisionSchema]);

export type CachedMeasurement = z.infer<typeof measurementSchema>;
export type SegmentDecision = z.infer<typeof decisionSchema>;

export class QualityCache {
  private readonly measurements = new Map<string, CachedMeasurement>();
  private readonly decisions = new Map<string, Map<number, SegmentDecision>>();
  private writing: Promise<void> = Promise.resolve();
  hits = 0;
  misses = 0;

  private constructor(readonly file: string) {}

  static async open(file: string): Promise<QualityCache> {
    const cache = new QualityCache(file);
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // a torn line from a killed run
      }
      const record = recordSchema.safeParse(parsed);
      if (record.success) cache.remember(record.data);
    }
    return cache;
  }

  private remember(record: CachedMeasurement | SegmentDecision): void {
    if (record.type === 'measurement') this.measurements.set(record.key, record);
    else {
      let scope = this.decisions.get(record.scope);
      if (!scope) this.decisions.set(record.scope, (scope = new Map<number, SegmentDecision>()));
      scope.set(record.segment, record);
    }
  }

  get(key: string): CachedMeasurement | undefined {
    const found = this.measurements.get(key);
    if (found) this.hits++;
    else this.misses++;
    return found;
  }

  get size(): number {
    return this.measurements.size;
  }

  putMeasurement(record: Omit<CachedMeasurement, 'type'>): Promise<void> {
    return this.append({ type: 'measurement', ...record });
  }

  putDecision(record: Omit<SegmentDecision, 'type'>): Promise<void> {
    return this.append({ type: 'decision', ...record });
  }

  /** CRFs decided for other segments in this scope, nearest segment first. */
  neighbourCrfs(scope: string, segment: number, limit = 2): number[] {
    const decided = [...(this.decisions.get(scope)?.values() ?? [])].filter((d) => d.segment !== segment);
    decided.sort((a, b) => Math.abs(a.segment - segment) - Math.abs(b.segment - segment) || a.segment - b.segment);
    return decided.slice(0, limit).map((d) => d.crf);
  }

  decision(scope: string, segment: number): SegmentDecision | undefined {
    return this.decisions.get(scope)?.get(segment);
  }

  /** Appends are serialised within the process; each is one write of one line, then fsync. */
  private append(record: CachedMeasurement | SegmentDecision): Promise<void> {
    this.remember(record);
    const line = `${JSON.stringify(record)}\n`;
    const write = this.writing.then(async () => {
      const handle = await open(this.file, 'a');
      try {
        await handle.write(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    this.writing = write.catch(() => undefined);
    return write;
  }
}

const openCaches = new Map<string, Promise<QualityCache>>();

/** One cache object per file in this process, so parallel segment workers share hits and writes. */
export function qualityCacheFor(file: string): Promise<QualityCache> {
  let found = openCaches.get(file);
  if (!found) {
    found = QualityCache.open(file);
    found.catch(() => openCaches.delete(file));
    openCaches.set(file, found);
  }
  return found;
}

/** Forget the in-process cache objects (tests that simulate a new run). */
export function forgetOpenQualityCaches(): void {
  openCaches.clear();
}

import path from 'node:path';
import type { EncodeOptions } from '../../../common/options';
import { defaultOutputPath, defaultWorkDir, workDirLayout } from '../workdir';
import { loadManifest } from '../job';
import { segmentSettings } from '../job';
import type { Manifest } from '../job';
import { SEARCH_ONLY_NOTE } from '../pipeline';

/**
 * What `search` hands to the `encode` that follows, said at both ends: `status` names a searched
 * job as one (not as a cancelled encode), and the encode says whose CRFs it uses.
 */

/** Whether a manifest is the one a `search` left: every segment searched, none encoded yet. */
export function isSearchedManifest(manifest: Pick<Manifest, 'status' | 'lastError' | 'segments'>): boolean {
  return manifest.status === 'cancelled' && manifest.lastError === SEARCH_ONLY_NOTE && manifest.segments.every((s) => s.state !== 'done');
}

/** `searched: 2 segments, CRFs found; run encode to use them`. */
export function searchedText(segments: number): string {
  return `searched: ${segments} segment${segments === 1 ? '' : 's'}, CRFs found; run encode to use them`;
}

/** A manifest's time as the user's clock shows it: `2026-12-06 13:06:50`. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The settings of a search that differ from this encode's (crop aside: detected from the same input). Pure. */
export function differingSettings(searched: Manifest['settings'], options: EncodeOptions): string[] {
  const wanted = segmentSettings(options);
  const keys = new Set([...Object.keys(searched), ...Object.keys(wanted)]);
  keys.delete('crop');
  // Scored after the encodes only; and a VMAF target is already targetVmaf and vmafPool (an older search has no `target`).
  keys.delete('alsoScore');
  if (wanted.target?.metric === 'vmaf' && (searched.target?.metric ?? 'vmaf') === 'vmaf') keys.delete('target');
  const text = (value: unknown) => JSON.stringify(value);
  return [...keys].filter((key) => text(searched[key as keyof typeof searched]) !== text(wanted[key as keyof typeof wanted])).sort();
}

/**
 * What the encode about to start says about a search found in its work directory: that it uses
 * its CRFs (same settings: the quality cache answers every probe), or that it cannot.
 */
export async function searchHandoffNote(options: EncodeOptions): Promise<string | undefined> {
  const output = path.resolve(options.output ?? defaultOutputPath(options.input));
  const workDir = options.workDir !== undefined ? path.resolve(options.workDir) : defaultWorkDir(output);
  const manifest = await loadManifest(workDirLayout(workDir).manifest).catch(() => undefined);
  if (!manifest || !isSearchedManifest(manifest)) return undefined;
  const when = localTime(manifest.updatedAt);
  const differing = differingSettings(manifest.settings, options);
  if (!differing.length) return `using the CRFs found by the search of ${when}`;
  return `the search of ${when} was made with other settings (${differing.join(', ')}): its CRFs are not used, each segment is searched again`;
}

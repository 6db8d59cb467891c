/**
 * A code lens above each zone after a run (#26): `3 segments · CRF 31–35 · VMAF 93.1–93.6 · 42 MiB`,
 * from the segments of the last known job of the video that the zone covers; it opens the jobs tree at
 * that job's first segment in the zone (`chunkedAv1.revealInJobs`, registered by the client).
 */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SegmentSnapshot } from '../../../common/protocol';
import type { ZonesVideo } from './zones-facts';
import { coveredSegments, fmtBytes, zonesCheck } from './zones-features';

/** The client's command that reveals a job's segment in the tree (client/src/extension.ts). */
export const REVEAL_IN_JOBS = 'chunkedAv1.revealInJobs';

function span(values: number[], digits: number): string | undefined {
  if (!values.length) return undefined;
  const [low, high] = [Math.min(...values), Math.max(...values)].map((v) => v.toFixed(digits));
  return low === high ? low : `${low}–${high}`;
}

/** The lens's text for the run's figures of the segments a zone covers; what no segment has is left out. */
export function zoneLensText(segments: Pick<SegmentSnapshot, 'crf' | 'vmaf' | 'bytes'>[]): string {
  const crf = span(
    segments.flatMap((s) => (s.crf === undefined ? [] : [s.crf])),
    0,
  );
  const vmaf = span(
    segments.flatMap((s) => (s.vmaf === undefined ? [] : [s.vmaf])),
    1,
  );
  const sized = segments.filter((s) => s.bytes !== undefined);
  return [
    `${segments.length} segment${segments.length === 1 ? '' : 's'}`,
    crf && `CRF ${crf}`,
    vmaf && `VMAF ${vmaf}`,
    sized.length ? fmtBytes(sized.reduce((sum, s) => sum + s.bytes!, 0)) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** One lens per zone that covers segments of a known run; none before a run. */
export function zonesCodeLenses(document: TextDocument, video: ZonesVideo | undefined): CodeLens[] {
  const job = video?.job;
  if (!video || !job) return [];
  return zonesCheck(document, video).zones.flatMap((zone) => {
    const covered = coveredSegments(video, zone).flatMap((s) => job.segments.filter((j) => j.index === s.index));
    if (!covered.length) return [];
    const at = { line: zone.line, character: 0 };
    const command = { title: zoneLensText(covered), command: REVEAL_IN_JOBS, arguments: [job.jobId, covered[0]!.index] };
    return [{ range: { start: at, end: at }, command }];
  });
}

import assert from 'node:assert/strict';
import { buildTimeline, parsePacketLines, parseStreamPacketLines } from '../../server/src/probe/frames';
import { segmentCopyArgs } from '../../server/src/encode/encode-args';

/** `ffmpeg -ss 1.3 -i base.mkv -c copy cut.mp4` (issue 24, case 12): the GOP's keyframe and 31 pictures sit before zero, flagged discard. */
function editListPackets(): string {
  const lines = ['0,-1.333,-1.333,0.042,900,KD', '0,-0.041,-0.041,0.041,90,_D'];
  for (let i = 0; i < 16; i++) lines.push(`0,${(i * 0.042).toFixed(3)},${(i * 0.042).toFixed(3)},0.042,90,__`);
  return lines.join('\n');
}

describe('edit list that starts mid-GOP (issue 24, case 12)', () => {
  it('keeps every shown frame when the GOP keyframe is discarded, and says so', () => {
    const { frames, discardedLeadIn } = parseStreamPacketLines(editListPackets(), 0);
    assert.equal(discardedLeadIn, true);
    assert.equal(frames?.length, 16);
    const timeline = buildTimeline(frames, 24, { discardedLeadIn });
    assert.equal(timeline.pts.length, 16);
    assert.equal(timeline.discardedLeadIn, true);
    assert.deepEqual(timeline.keyframes, []);
  });

  it('still leaves out frames before the first keyframe of a capture that starts mid-GOP', () => {
    const { frames, discardedLeadIn } = parseStreamPacketLines('0,0.0,0.0,0.04,90,__\n0,0.04,0.04,0.04,900,K_\n', 0);
    assert.equal(discardedLeadIn, false);
    assert.deepEqual(buildTimeline(frames!, 25, { discardedLeadIn }).pts, [0.04]);
  });

  it("lets a segment copy's check see the discarded keyframe it starts with", () => {
    // The copy's own packet lines (pts,dts,duration,flags): the same packets, one stream.
    const copy = editListPackets()
      .split('\n')
      .map((line) => {
        const [, pts, dts, duration, , flags] = line.split(',');
        return [pts, dts, duration, flags].join(',');
      })
      .join('\n');
    const kept = parsePacketLines(copy, { keepDiscarded: true })!;
    assert.equal(kept[0]!.key, true);
    assert.equal(kept[0]!.pts, -Infinity);
    assert.equal(kept.filter((p) => p.pts >= 0).length, 16);
    assert.equal(parsePacketLines(copy)!.length, 16);
  });

  it('copies such a source into MOV, which keeps the edit list (Matroska cannot store the negative times)', () => {
    const segment = {
      index: 0,
      startFrame: 0,
      frames: 16,
      startSeconds: 0,
      endSeconds: 0.672,
      seekSeconds: 0,
      keepFromSeconds: -0.021,
      keepToSeconds: 0.651,
    };
    const args = segmentCopyArgs('/in/cut.mp4', 0, segment, '/w/segment_000.tmp.mkv', 'mov');
    assert.equal(args[args.indexOf('-f') + 1], 'mov');
    // Without its display matrix: segmentFilter turns the picture, the decoder must not turn it again.
    assert.equal(args[args.indexOf('-metadata:s:v:0') + 1], 'rotate=0');
    assert.equal(segmentCopyArgs('/in/cut.mp4', 0, segment as never, '/w/s.mkv').at(-2), 'matroska');
  });
});

import assert from 'node:assert/strict';
import { buildTimeline } from '../../server/src/probe/frames';
import { checkZones, formatClock, formatZones, parseClock, parseZonesText, type ZoneFacts } from '../../server/src/zones';

/** 24 fps, `seconds` long, with chapters and a plain plan of 4 s segments. */
function facts(seconds = 100, extra: Partial<ZoneFacts> = {}): ZoneFacts {
  const frames = seconds * 24;
  const timeline = buildTimeline(
    Array.from({ length: frames }, (_, i) => ({ pts: i / 24, key: i % 48 === 0 })),
    24,
  );
  return {
    pts: timeline.pts,
    lastFrameSeconds: timeline.lastFrameSeconds,
    chapters: [
      { title: 'Opening', startSeconds: 0, endSeconds: 30 },
      { title: 'Générique de fin — 終わり', startSeconds: 80, endSeconds: 100 },
      { title: 'End Credits', startSeconds: 90, endSeconds: 100 },
    ],
    segments: Array.from({ length: seconds / 4 }, (_, i) => ({ index: i, startFrame: i * 96, frames: 96 })),
    minSegmentSeconds: 2,
    ...extra,
  };
}

const codes = (text: string, f = facts()) => checkZones(text, f).problems.map((p) => p.code);

describe('zones: the grammar', () => {
  it('reads frames, times, chapters and segments, with overrides and comments', () => {
    const { zones, problems } = parseZonesText(
      [
        '# a comment line',
        '1200-1850 target-vmaf=90   # the dark scene',
        '0:50-1:17.1 crf=30 preset=6',
        'chapter "End Credits" target-vmaf=85',
        'segment 12 svt-params="tune=0:film-grain=8"',
        '',
        '100-end film-grain=10',
      ].join('\n'),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      zones.map((z) => z.range.kind),
      ['frames', 'times', 'chapter', 'segment', 'frames'],
    );
    const [frames, times, chapter, segment, open] = zones;
    assert.deepEqual(
      [frames!.range.kind === 'frames' && frames!.range.start, frames!.range.kind === 'frames' && frames!.range.end],
      [1200, 1850],
    );
    assert.equal(frames!.comment, 'the dark scene');
    assert.deepEqual(times!.range.kind === 'times' && [times!.range.start, times!.range.end], [50, 77.1]);
    assert.equal(chapter!.range.kind === 'chapter' && chapter!.range.name, 'End Credits');
    assert.equal(segment!.range.kind === 'segment' && segment!.range.index, 12);
    assert.equal(segment!.overrides[0]!.value, 'tune=0:film-grain=8');
    assert.equal(open!.range.kind === 'frames' && open!.range.end, 'end');
    // Spans are UTF-16 offsets on their line: the key of "crf=30" on line 2.
    assert.deepEqual(times!.overrides[0]!.keySpan, { line: 2, start: 12, end: 15 });
    assert.deepEqual(times!.overrides[0]!.valueSpan, { line: 2, start: 16, end: 18 });
  });

  it('names malformed lines with their place', () => {
    const { zones, problems } = parseZonesText(
      ['1200 target-vmaf=90', '10-20 crf 30', 'chapter', 'segment twelve', 'chapter "Open crf=3', '5:75-6:00 crf=3'].join('\n'),
    );
    assert.equal(zones.length, 1, 'only "10-20" parses as a zone');
    assert.deepEqual(
      problems.map((p) => [p.line, p.start, p.end]),
      [
        [0, 0, 4],
        [1, 6, 9],
        [1, 10, 12],
        [2, 0, 7],
        [3, 0, 14],
        [4, 8, 19],
        [5, 0, 9],
      ],
    );
    assert.match(problems[0]!.message, /"1200" is not a range; a zone starts with FRAME-FRAME/);
    assert.match(problems[1]!.message, /"crf" is not key=value/);
    assert.match(problems[5]!.message, /unterminated quoted string/);
  });

  it('reads clocks and writes them back', () => {
    assert.equal(parseClock('1:17.1'), 77.1);
    assert.equal(parseClock('1:02:03.5'), 3723.5);
    assert.equal(parseClock('63.5'), 63.5);
    assert.equal(parseClock('1:75'), undefined);
    assert.equal(formatClock(77.1), '1:17.1');
    assert.equal(formatClock(3723.25), '1:02:03.25');
    assert.equal(formatClock(5), '0:05');
  });

  it('quotes non-ASCII chapter names and keeps them exact', () => {
    const { zones, problems } = parseZonesText('chapter "Générique de fin — 終わり" crf=40\nchapter "say \\"hi\\"" crf=1');
    assert.deepEqual(problems, []);
    assert.equal(zones[0]!.range.kind === 'chapter' && zones[0]!.range.name, 'Générique de fin — 終わり');
    assert.equal(zones[1]!.range.kind === 'chapter' && zones[1]!.range.name, 'say "hi"');
    // The override's span counts UTF-16 units: after the 26-character quoted name.
    assert.equal(zones[0]!.overrides[0]!.keySpan.start, 'chapter "Générique de fin — 終わり" '.length);
  });

  it('formats into a column, keeping comments and broken lines', () => {
    const text = ['#  head  ', '1200-1850   target-vmaf=90    # dark', 'chapter  "End Credits"  crf=40 preset=6', 'oops here', ''].join(
      '\n',
    );
    assert.equal(
      formatZones(text),
      ['#  head', '1200-1850              target-vmaf=90  # dark', 'chapter "End Credits"  crf=40 preset=6', 'oops here', ''].join('\n'),
    );
    assert.equal(formatZones(formatZones(text)), formatZones(text));
  });

  it('keeps the CRLF line ends of a CRLF file', () => {
    const text = '0-96   crf=30\r\nchapter  "End Credits" target-vmaf=85  # credits\r\n';
    assert.equal(formatZones(text), '0-96                   crf=30\r\nchapter "End Credits"  target-vmaf=85  # credits\r\n');
  });
});

describe('zones: the checks against a video', () => {
  it('resolves frames, times, chapters and segments to frame ranges', () => {
    const { zones, problems } = checkZones(
      [
        '0-240 crf=20',
        '0:20-0:30.5 crf=21',
        'chapter "End Credits" crf=40',
        'segment 3 crf=30',
        'chapter "Générique de fin — 終わり" crf=41',
      ].join('\n'),
      facts(100, { minSegmentSeconds: 1 }),
    );
    assert.deepEqual(
      zones.map((z) => [z.startFrame, z.endFrame]),
      [
        [0, 240],
        [480, 732],
        [2160, 2400],
        [288, 384],
        [1920, 2400],
      ],
    );
    assert.deepEqual(zones[0]!.overrides, { crf: 20 });
    // The chapters overlap each other: that is reported, nothing else.
    assert.deepEqual(
      problems.map((p) => p.code),
      ['overlap'],
    );
  });

  it('reports an overlap on the later zone, naming the other line, with a merge fix', () => {
    const { problems } = checkZones('100-300 crf=30\n250-400 preset=6', facts());
    assert.equal(problems.length, 1);
    const [overlap] = problems;
    assert.equal(overlap!.code, 'overlap');
    assert.equal(overlap!.line, 1);
    assert.match(overlap!.message, /overlaps the zone on line 1 \(frames 250–299 are in both\)/);
    assert.deepEqual(overlap!.fixes![0]!.edits, [
      { line: 0, start: 14, end: 14, text: ' preset=6' },
      { line: 0, start: 0, end: 7, text: '100-400' },
      { line: 1, start: 0, end: Number.MAX_SAFE_INTEGER, text: '' },
    ]);
  });

  it('reports a range past the end, with a fix that clamps it', () => {
    const frames = checkZones('2300-2500 crf=30', facts());
    assert.deepEqual(
      frames.problems.map((p) => [p.line, p.code, p.fixes?.[0]?.edits[0]?.text]),
      [[0, 'past-end', '2300-2400']],
    );
    assert.equal(frames.zones[0]!.endFrame, 2400, 'a clamped zone still counts');
    const times = checkZones('1:35-1:50 crf=31', facts());
    assert.deepEqual(
      times.problems.map((p) => [p.code, p.fixes?.[0]?.edits[0]?.text]),
      [['past-end', '1:35-end']],
    );
    const after = checkZones('3000-3100 crf=1', facts());
    assert.match(after.problems[0]!.message, /starts after the video's end \(2400 frames, 1:40\)/);
    assert.equal(after.zones.length, 0);
  });

  it('names unknown and job-wide keys with a did-you-mean, and bad values with the catalogue range', () => {
    const { problems } = checkZones(
      '0-100 target-vmf=90 split=scene crf=70 preset=6.5 min-crf=40 max-crf=30 film-grain=80 svt-params=bogus=1',
      facts(),
    );
    const messages = problems.map((p) => `${p.code}: ${p.message}`);
    assert.match(
      messages[0]!,
      /^unknown-key: unknown key "target-vmf" \(did you mean target-vmaf\?\); a zone may set crf, target-vmaf, min-crf, max-crf, preset, svt-params, film-grain/,
    );
    assert.match(messages[1]!, /^not-per-zone: split is not allowed per zone/);
    assert.match(messages[2]!, /^bad-value: crf=70 is out of range 0–63/);
    assert.match(messages[3]!, /^bad-value: preset=6.5 is not a whole number \(range -1–13\)/);
    assert.match(messages[4]!, /^bad-value: film-grain=80 is out of range 0–50/);
    assert.match(messages[5]!, /^bad-value: svt-params: unknown SVT-AV1 parameter "bogus"/);
    assert.match(messages[6]!, /^bad-value: min-crf=40 is above max-crf=30/);
    assert.deepEqual(problems[0]!.fixes![0]!.edits, [{ line: 0, start: 6, end: 16, text: 'target-vmaf' }]);
  });

  it('refuses crf with target-vmaf in one zone', () => {
    assert.deepEqual(codes('0-100 crf=30 target-vmaf=93'), ['exclusive']);
  });

  it('warns about a zone shorter than the minimum segment and a zone that sets nothing', () => {
    const { problems } = checkZones('0-24 crf=30\n100-200', facts());
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity]),
      [
        ['no-overrides', 'warning'],
        ['too-short', 'warning'],
      ],
    );
    assert.match(problems[1]!.message, /the zone is 1.00 s, shorter than the minimum segment \(2 s\)/);
  });

  it('names an unknown chapter with the nearest one and the list', () => {
    const { problems } = checkZones('chapter "End Credit" crf=40\nchapter "Intro" crf=40', facts());
    assert.equal(problems[0]!.code, 'unknown-chapter');
    assert.match(
      problems[0]!.message,
      /no chapter named "End Credit" in the video \(did you mean "End Credits"\?\); its chapters: "Opening", "Générique de fin — 終わり", "End Credits"/,
    );
    assert.deepEqual(problems[0]!.fixes![0]!.edits[0]!.text, '"End Credits"');
    assert.doesNotMatch(problems[1]!.message, /did you mean/);
  });

  it('names a segment the plan does not have, and an empty range', () => {
    assert.deepEqual(codes('segment 25 crf=3\n500-400 crf=3'), ['no-segment', 'empty']);
  });

  it('hints at a nearby scene cut, with a fix that snaps to it', () => {
    const { problems } = checkZones('1200-1350 crf=30\n1:00-1:10 crf=30', facts(100, { sceneCuts: [1207, 1450, 1680] }));
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.fixes?.[0]?.edits[0]?.text]),
      [
        ['near-scene-cut', 'hint', '1207-1350'],
        ['near-scene-cut', 'hint', '1:00.417-1:10'],
      ],
    );
  });
});

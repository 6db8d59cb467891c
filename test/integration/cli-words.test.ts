import assert from 'node:assert/strict';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OPTION_CATALOGUE, rangeOf } from '../../common/option-catalogue';
import { basicClip, ffmpegSync, tempDir } from '../helpers/clips';
import { runCliSync } from '../helpers/cli';

/**
 * The words of the CLI (#23 item 4), through the real CLI (dist/cli.js) on small generated clips:
 * suggestions, ranges, each command's own help, the search → encode hand-over said at each step,
 * and a batch whose total cannot hide a file that grew.
 */
const FAST = ['--preset', '13', '--segment-seconds', '1', '--split', 'keyframe'];

function cli(args: string[]) {
  return runCliSync(args, { timeoutMs: 240_000 });
}

describe('chunked-av1: the words of the CLI (integration, real CLI)', function () {
  this.timeout(600_000);
  const { dir, cleanup } = tempDir('chunked-av1-words-');
  const clip = path.join(dir, 'clip.mkv');
  before(() => basicClip(clip, { seconds: 2, size: '160x120' }));
  after(() => cleanup());

  it("suggests the flag an ab-av1 user means and the command a typo means; says a range in the catalogue's words", () => {
    const minVmaf = cli(['encode', clip, '--min-vmaf', '93']);
    assert.equal(minVmaf.status, 2);
    assert.equal(minVmaf.stderr, 'chunked-av1: unknown option --min-vmaf (did you mean --target-vmaf?); see chunked-av1 encode --help\n');
    const typo = cli(['encdoe', clip]);
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /^chunked-av1: unknown command "encdoe" \(did you mean encode\?\)\n/);
    const [low, high] = rangeOf(OPTION_CATALOGUE.preset.schema).split('..');
    const preset = cli(['encode', clip, '--preset', String(Number(high) + 1)]);
    assert.equal(preset.status, 2);
    assert.equal(
      preset.stderr,
      `chunked-av1: --preset: ${Number(high) + 1} is out of range ${low!.startsWith('-') ? `${low} to ${high}` : `${low}–${high}`}\n`,
    );
    const crf = cli(['encode', clip, '--crf', '70']);
    assert.equal(crf.stderr, `chunked-av1: --crf: 70 is out of range ${rangeOf(OPTION_CATALOGUE.crf.schema).replace('..', '–')}\n`);
    assert.equal(cli(['encode', clip, '--audio', 'mp3']).stderr, 'chunked-av1: --audio: "mp3" is not one of copy, opus\n');
  });

  it("search --help lists only what a search uses (an encode's own flags are still accepted); the top-level help is aligned", () => {
    const help = cli(['search', '--help']);
    assert.equal(help.status, 0);
    for (const flag of ['--report', '--keep-work-dir', '--audio', '--overwrite', '--fail-fast', '--crf '])
      assert.ok(!help.stdout.includes(flag), `search --help lists ${flag}`);
    for (const flag of ['--target-vmaf', '--min-crf', '--samples', '--preset', '--output']) assert.ok(help.stdout.includes(flag), flag);
    const top = cli(['--help']);
    assert.equal(top.status, 0);
    const lines = top.stdout.split('\n');
    const section = lines.slice(lines.indexOf('commands:') + 1, lines.indexOf('', lines.indexOf('commands:')));
    // Where each description starts: after the synopsis and 3+ spaces, or a continuation's indent.
    const starts = section.map((line) =>
      /^ {3}/.test(line) ? line.search(/\S/) : line.search(/ {3,}\S/) + line.slice(line.search(/ {3,}\S/)).search(/\S/),
    );
    assert.equal(section.length >= 7, true, top.stdout);
    assert.equal(new Set(starts).size, 1, `descriptions start at one column:\n${top.stdout}`);
    for (const line of top.stdout.split('\n')) assert.ok(line.length <= 80, `over 80 columns: ${line}`);
    assert.match(top.stdout, /encode INPUT\.\.\./);
    assert.match(top.stdout, /--output-dir DIR/);
  });

  it('search warns that the output exists; status then says what the search found; the encode says whose CRFs it uses', () => {
    const input = path.join(dir, 'handoff.mkv');
    copyFileSync(clip, input);
    const output = path.join(dir, 'handoff.av1.mkv');
    writeFileSync(output, 'an older output');
    const options = ['--target-vmaf', '90', '--vmaf-subsample', '4', ...FAST];
    const search = cli(['search', input, ...options]);
    assert.equal(search.status, 0, search.stderr);
    assert.match(
      search.stderr.split('\n')[0]!,
      /^chunked-av1: warning: .*handoff\.av1\.mkv already exists: the encode that follows stops on it; give it -y to replace it, or another -o$/,
    );
    assert.match(search.stdout, /^search for VMAF 90 \(harmonic mean, both sides in yuv420p10le, the encode's pixel format\)/);
    const status = cli(['status', input]);
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout.split('\n')[0]!, /: searched: 2 segments, CRFs found; run encode to use them$/);
    assert.ok(!/cancelled|last error/.test(status.stdout), status.stdout);
    const json = cli(['status', input, '--json']);
    assert.equal((JSON.parse(json.stdout) as { searched?: boolean }).searched, true);
    const encode = cli(['encode', input, ...options, '-y']);
    assert.equal(encode.status, 0, encode.stderr);
    assert.match(encode.stderr, /^chunked-av1: using the CRFs found by the search of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/);
    // Other settings: said, not silently re-searched.
    const again = cli(['search', input, '--target-vmaf', '95', '--vmaf-subsample', '4', ...FAST, '-y']);
    assert.equal(again.status, 0, again.stderr);
    assert.ok(!again.stderr.includes('warning'), again.stderr);
    const other = cli(['encode', input, '--target-vmaf', '92', '--vmaf-subsample', '4', ...FAST, '-y']);
    assert.equal(other.status, 0, other.stderr);
    assert.match(other.stderr, /^chunked-av1: the search of .* was made with other settings \(targetVmaf\): its CRFs are not used/);
  });

  it('a batch whose file grew: the total says "in total" and the file that grew is named', () => {
    // x264 squeezed to its lowest rate grows about 7x at --crf 20; a lossless source shrinks.
    const tiny = path.join(dir, 'tiny.mkv');
    ffmpegSync(['-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=24', '-t', '2', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '51', tiny]);
    const big = path.join(dir, 'big.mkv');
    ffmpegSync(['-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=24', '-t', '2', '-pix_fmt', 'yuv420p', '-c:v', 'ffv1', big]);
    const out = path.join(dir, 'grew out');
    const run = cli(['encode', big, tiny, '--output-dir', out, '--preset', '13', '--crf', '20']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(path.join(out, 'tiny.av1.mkv')));
    assert.match(run.stderr, /batch: 2 of 2 written \(.* from .*, \d+(\.\d)?% saved in total; 1 larger than its source\)\n/);
    assert.match(run.stderr, /\n {2}larger than its source: .*tiny\.mkv: .* from .*, \d+(\.\d)?% larger\n/);
  });
});

import assert from 'node:assert/strict';
import { readPackageJson, type JsonSchema } from '../helpers/package-json';
import { OPTION_CATALOGUE, PRESET_KEYS, defaultOf, rangeOf, type OptionSpec } from '../../common/option-catalogue';
import { encodeOptionsSchema } from '../../common/options';
import { ENCODE_COMMAND, encodeOptionsFromArgv } from '../../server/src/cli/encode';
import { PROBE_COMMAND } from '../../server/src/cli/probe';
import { VMAF_COMMAND } from '../../server/src/cli/vmaf';
import { REPORT_COMMAND } from '../../server/src/cli/report';
import { SEARCH_COMMAND } from '../../server/src/cli/search';
import { SCORE_COMMAND } from '../../server/src/cli/score';
import { jobTargetCommand } from '../../server/src/cli/job-target';
import { parseFlags, suggestFlag, usageText, type CommandSpec } from '../../server/src/cli/flags';
import { runCliSync } from '../helpers/cli';

const COMMANDS: CommandSpec[] = [
  ENCODE_COMMAND,
  SEARCH_COMMAND,
  PROBE_COMMAND,
  VMAF_COMMAND,
  jobTargetCommand('status', 'usage: chunked-av1 status X', true),
  jobTargetCommand('clean', 'usage: chunked-av1 clean X', false),
  REPORT_COMMAND,
  SCORE_COMMAND,
];

describe('option catalogue', () => {
  it('is the encode options schema: same keys, one flag each, no flag twice', () => {
    assert.deepEqual(Object.keys(encodeOptionsSchema.shape).sort(), Object.keys(OPTION_CATALOGUE).sort());
    const flags = Object.values(OPTION_CATALOGUE as Record<string, OptionSpec>).flatMap((o) =>
      o.flag ? [o.flag, ...(o.aliases ?? [])] : [],
    );
    assert.equal(new Set(flags).size, flags.length);
  });

  it("lists every flag each command parses in that command's --help, as the CLI prints it", () => {
    for (const command of COMMANDS) {
      const help = usageText(command);
      // An unlisted flag is accepted on purpose without a line (an encode's own flag given to search).
      for (const flag of command.flags.filter((f) => !f.unlisted))
        assert.match(help, new RegExp(`--${flag.name}\\b`), `${command.name} --${flag.name}`);
    }
    for (const name of ['encode', 'search', 'probe', 'vmaf', 'status', 'clean', 'report', 'score']) {
      const run = runCliSync([name, '--help']);
      assert.equal(run.status, 0, name);
      const command = COMMANDS.find((c) => c.name === name)!;
      for (const flag of command.flags.filter((f) => !f.unlisted))
        assert.match(run.stdout, new RegExp(`--${flag.name}\\b`), `${name} --${flag.name}`);
    }
  });

  it("shows each option's range and default from its schema", () => {
    const help = usageText(ENCODE_COMMAND);
    assert.match(help, /--preset P\s+.*\(-1\.\.13; default 8\)/);
    assert.match(help, /--pixel-format F\s+.*\(yuv420p10le\|yuv420p; default yuv420p10le\)/);
    assert.equal(rangeOf(OPTION_CATALOGUE.maxCrf.schema), '0..63');
    assert.equal(defaultOf(OPTION_CATALOGUE.maxCrf.schema), 55);
  });

  it('reads flags through the catalogue (aliases included) and names the flag of a bad value', () => {
    const parsed = encodeOptionsFromArgv([
      'a.mkv',
      '--target-vmaf',
      '93',
      '--sample-seconds',
      '3',
      '--min-crf',
      '20',
      '-o',
      'b.mkv',
      '--keep-work-dir',
    ]);
    assert.ok(!parsed.help);
    assert.equal(parsed.options.targetVmaf, 93);
    assert.equal(parsed.options.sampleSeconds, 3);
    assert.equal(parsed.options.minCrf, 20);
    assert.equal(parsed.options.output, 'b.mkv');
    assert.equal(parsed.options.keepWorkDir, true);
    assert.throws(() => encodeOptionsFromArgv(['a.mkv', '--preset', '14']), /^UsageError: --preset: /);
    assert.throws(() => encodeOptionsFromArgv(['a.mkv', '--crf', 'x']), /--crf needs a number, got "x"/);
  });

  it('answers a typo with one line and the nearest flag', () => {
    assert.throws(
      () => parseFlags(['a.mkv', '--target-vmf', '93'], ENCODE_COMMAND),
      (error: Error) => error.message === 'unknown option --target-vmf (did you mean --target-vmaf?); see chunked-av1 encode --help',
    );
    assert.throws(
      () => parseFlags(['a.mkv', '--frobnicate'], ENCODE_COMMAND),
      (error: Error) => error.message === 'unknown option --frobnicate; see chunked-av1 encode --help',
    );
    assert.equal(suggestFlag('--wokers', ['--workers', '--work-dir']), '--workers');
    // A value that starts with a dash is the flag's value, not a flag.
    assert.doesNotThrow(() => parseFlags(['a.mkv', '--svt-params', 'tune=0', '--preset', '-1'], ENCODE_COMMAND));
  });

  it('is what package.json offers as preset properties', () => {
    const presets = readPackageJson().contributes.configuration.properties['chunkedAv1.presets']?.additionalProperties as JsonSchema;
    // The catalogue's preset options and the target keys settings.ts adds (issue 25).
    assert.deepEqual(Object.keys(presets.properties ?? {}).sort(), [...PRESET_KEYS].sort());
  });
});

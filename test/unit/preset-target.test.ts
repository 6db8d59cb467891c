import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { presetTargetProblems } from '../../common/preset-target';
import { METRICS } from '../../common/quality-metric';
import { parseEncodeOptions, qualityTargetOf } from '../../common/options';
import { bandAround } from '../../common/quality-target';
import { parseSettings, toEncodeOptions } from '../../common/settings';
import { settingsDiagnostics } from '../../server/src/lsp/settings-diagnostics';

/** A preset's target keys checked together (#25): fixed CRF or a target, VMAF-only targetVmaf, the metric's range. */
describe('preset target keys', () => {
  const keysOf = (preset: object) => presetTargetProblems(preset).map((p) => p.key);

  it('accepts a target in each metric’s own range, VMAF when no metric is named', () => {
    assert.deepEqual(presetTargetProblems({ targetMetric: 'xpsnr', target: 42 }), []);
    assert.deepEqual(presetTargetProblems({ targetMetric: 'ssimulacra2', target: 80 }), []);
    assert.deepEqual(presetTargetProblems({ target: 95 }), [], 'VMAF 95');
    assert.deepEqual(presetTargetProblems({ targetVmaf: 93, targetMetric: 'vmaf', target: 93 }), [], 'the same VMAF target twice');
  });

  it("refuses a target outside its metric's range, naming the range from quality-metric.ts (the CLI's rule, quality-target.ts)", () => {
    const { min, max } = METRICS.xpsnr.range;
    const [problem] = presetTargetProblems({ targetMetric: 'xpsnr', target: 95 });
    assert.equal(problem?.key, 'target');
    assert.equal(problem.message, `target: 95 is out of XPSNR's range ${min}–${max}`, "the CLI's line, with the preset's key");
    assert.deepEqual(keysOf({ targetMetric: 'ssimulacra2', target: 0 }), ['target']);
  });

  it('refuses a CRF with any target, targetVmaf with another metric, and two VMAF targets that disagree', () => {
    assert.deepEqual(keysOf({ crf: 30, targetVmaf: 93 }), ['crf']);
    assert.deepEqual(keysOf({ crf: 30, targetMetric: 'xpsnr' }), ['crf']);
    assert.deepEqual(keysOf({ targetVmaf: 93, targetMetric: 'xpsnr', target: 42 }), ['targetVmaf']);
    assert.deepEqual(keysOf({ targetVmaf: 93, target: 94 }), ['targetVmaf']);
    assert.deepEqual(keysOf({ targetMetric: 'xpsnr', pool: 'min' }), ['pool'], 'min pools VMAF only');
  });

  it('accepts the four target keys in a preset and hands them to the encode options', () => {
    const raw = { presets: { x: { targetMetric: 'xpsnr', target: 41.5, pool: 'p10', alsoScore: ['vmaf'], preset: 13 } } };
    const { problems, settings } = parseSettings(raw);
    assert.deepEqual(problems, []);
    const options = parseEncodeOptions(toEncodeOptions('/v/a.mkv', 'x', settings));
    assert.deepEqual(qualityTargetOf(options), { metric: 'xpsnr', value: 41.5, pool: 'p10', ...bandAround('xpsnr', 41.5) });
    assert.deepEqual(options.alsoScore, ['vmaf']);
  });

  it("squiggles an out-of-range target on its key with the metric's range", () => {
    const text = JSON.stringify({ 'chunkedAv1.presets': { loud: { targetMetric: 'xpsnr', target: 95 } } }, null, 2);
    const [diagnostic] = settingsDiagnostics(TextDocument.create('file:///w/.vscode/settings.json', 'jsonc', 1, text), {
      openInEditor: true,
    });
    assert.match(JSON.stringify(diagnostic?.message), /preset \\"loud\\"\.target: target: 95 is out of XPSNR's range 10–80/);
    assert.match(text.split('\n')[diagnostic!.range.start.line]!, /"target": 95/);
  });

  it('reports a preset with both crf and targetVmaf on its crf key in settings.json', () => {
    const raw = { presets: { both: { crf: 30, targetVmaf: 93 } } };
    const { problems, settings } = parseSettings(raw);
    assert.ok(!('both' in settings.presets), 'the preset is not used');
    assert.deepEqual(problems[0]?.path, ['chunkedAv1.presets', 'both', 'crf']);
    const text = JSON.stringify({ 'chunkedAv1.presets': raw.presets }, null, 2);
    const [diagnostic] = settingsDiagnostics(TextDocument.create('file:///w/.vscode/settings.json', 'jsonc', 1, text), {
      openInEditor: true,
    });
    assert.match(JSON.stringify(diagnostic?.message), /either targetVmaf or crf, not both/);
    assert.equal(
      text.split('\n')[diagnostic!.range.start.line]!.trim().startsWith('"crf"'),
      true,
      'on the crf key, though VS Code’s schema cannot say it',
    );
  });
});

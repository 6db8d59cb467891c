/**
 * Targeting another metric from the editor (#25 item 4): a workspace preset with
 * `targetMetric: "xpsnr"` and a target in dB is accepted by the settings check, encodes a generated
 * clip for real (the built-in XPSNR engine scores every probe and the verification), and the jobs
 * tree shows each segment's XPSNR (`crf 31 · XPSNR 41.87 dB · …`), not a VMAF. A target outside
 * XPSNR's range is squiggled on its key with the metric's own range. The suite adds its presets to
 * `.vscode/settings.json` itself and puts the file back afterwards.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { METRICS } from '../../../common/quality-metric';
import { E2E } from '../workspace';
import { api, runJob, waitFor } from './helpers';

const XPSNR_TARGET = 40;
const SETTINGS_SOURCE = 'chunked-av1 settings';

describe('Targeting XPSNR from a preset', () => {
  const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const settingsFile = () => path.join(root(), '.vscode', 'settings.json');
  let original: string;

  /** Writes the workspace settings with PRESETS added, and waits until VS Code has read them. */
  async function withPresets(presets: Record<string, object>): Promise<void> {
    const settings = JSON.parse(original) as Record<string, unknown> & { 'chunkedAv1.presets': Record<string, unknown> };
    settings['chunkedAv1.presets'] = { ...settings['chunkedAv1.presets'], ...presets };
    writeFileSync(settingsFile(), JSON.stringify(settings, null, 2));
    await waitFor('VS Code to read the new presets', () => {
      const known = vscode.workspace.getConfiguration('chunkedAv1').get<Record<string, unknown>>('presets') ?? {};
      return Object.keys(presets).every((name) => name in known) ? true : undefined;
    });
  }

  const settingsProblems = () =>
    vscode.languages.getDiagnostics(vscode.Uri.file(settingsFile())).filter((d) => d.source === SETTINGS_SOURCE);

  before(() => {
    original = readFileSync(settingsFile(), 'utf8');
  });

  after(async () => {
    writeFileSync(settingsFile(), original);
    await waitFor('the settings problems to clear', () => (settingsProblems().length ? undefined : true));
  });

  it('accepts the preset, encodes with it, and the tree shows each segment in XPSNR', async () => {
    await withPresets({ xpsnr: { targetMetric: 'xpsnr', target: XPSNR_TARGET, preset: 13, samples: 1, sampleSeconds: 1 } });
    const ext = await api();
    const input = path.join(root(), E2E.metricClip);
    const job = await runJob(ext, { input, preset: 'xpsnr', overwrite: true }, 'the XPSNR job');
    const { jobId } = job;
    assert.equal(job.status, 'done', job.error);
    assert.deepEqual(settingsProblems(), [], 'the preset is valid');
    assert.equal(job.target?.metric, 'xpsnr', "the job's target metric comes from the preset");
    assert.equal(job.target?.value, XPSNR_TARGET);
    assert.ok(job.target.low < XPSNR_TARGET && job.target.high > XPSNR_TARGET, `a band around the target: ${JSON.stringify(job.target)}`);
    assert.ok(job.segments.length >= 2, 'the clip is split into several segments');
    const { range } = METRICS.xpsnr;
    for (const segment of job.segments) {
      const score = segment.scores?.xpsnr;
      assert.ok(score !== undefined && score >= range.min && score <= range.max, `segment ${segment.index} has an XPSNR: ${score}`);
      const description = String(ext.tree.getTreeItem({ kind: 'segment', jobId, index: segment.index }).description);
      const shown = /^crf \d+ · XPSNR (\d+\.\d\d) dB · /.exec(description);
      assert.ok(shown, `the tree shows the XPSNR: "${description}"`);
      assert.equal(Number(shown[1]), Number(score.toFixed(2)), 'the score the pipeline verified');
      assert.doesNotMatch(description, /VMAF/i, 'no VMAF where the target is XPSNR');
    }
    const tooltip = ext.tree.getTreeItem({ kind: 'job', jobId }).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, new RegExp(`Target: XPSNR ${XPSNR_TARGET} dB`));
  });

  it("squiggles an XPSNR target outside XPSNR's range on its key", async () => {
    await withPresets({ loud: { targetMetric: 'xpsnr', target: 95 } });
    const problem = await waitFor('the out-of-range target problem', () => settingsProblems().find((d) => /loud/.test(d.message)));
    const { min, max } = METRICS.xpsnr.range;
    assert.match(problem.message, new RegExp(`target.*XPSNR.*${min}.*${max}`));
    const text = readFileSync(settingsFile(), 'utf8').split('\n')[problem.range.start.line] ?? '';
    assert.match(text, /"target"/, 'the squiggle is on the target key');
  });
});

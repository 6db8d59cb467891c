import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordedManifest } from '../helpers/recorded-manifest';
import { QUALITY_CACHE_FILE } from '../../server/src/crf/quality-cache';
import { forgetKeptReportData, keptReportDataFile } from '../../server/src/lsp/report';
import { keepReportData, loadJobReport, loadReportData } from '../../server/src/report/files';
import { buildQualityReport } from '../../server/src/report/model';

/**
 * A successful job removes its work directory, so the editor's report of it comes from the data the
 * server kept in its storage when the job finished (#15).
 */
describe('report data kept after clean-up', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chunked-av1-kept-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the manifest, the quality cache and the facts, and gives back the same report', async () => {
    const manifest = recordedManifest(3, { targetVmaf: 93 }, (i) => ({
      state: 'done',
      attempts: 1,
      crf: 30 + i,
      vmaf: 93.5,
      bytes: 20_000,
      hash: 'h',
    }));
    const cacheFile = path.join(dir, QUALITY_CACHE_FILE);
    const record = { type: 'measurement', key: 'a', crf: 40, vmaf: 90, bytes: 10, seconds: 1, segment: 1 };
    writeFileSync(cacheFile, `${JSON.stringify(record)}\n{torn`);
    const facts = { outputBytes: 61_000, wallSeconds: 12.5 };
    const file = keptReportDataFile(path.join(dir, 'storage'), '0b9d3c1e-6a2f-4d8e-9f3a-1c2b3d4e5f60')!;
    await keepReportData(file, { manifest, cacheFile, facts });
    rmSync(cacheFile);
    assert.deepEqual(await loadReportData(file), buildQualityReport(manifest, [record as never], facts));
    await forgetKeptReportData(path.join(dir, 'storage'), '0b9d3c1e-6a2f-4d8e-9f3a-1c2b3d4e5f60');
    assert.equal(existsSync(file), false);
  });

  it('names the file only for a job id of our own form, never a path from a damaged job list', () => {
    assert.equal(keptReportDataFile('/storage', '../../etc/passwd'), undefined);
    assert.equal(keptReportDataFile('/storage', 'a/b'), undefined);
    assert.equal(keptReportDataFile(undefined, '0b9d3c1e-6a2f-4d8e-9f3a-1c2b3d4e5f60'), undefined);
    assert.equal(
      keptReportDataFile('/storage', '0b9d3c1e-6a2f-4d8e-9f3a-1c2b3d4e5f60'),
      path.join('/storage', 'reports', '0b9d3c1e-6a2f-4d8e-9f3a-1c2b3d4e5f60.json'),
    );
  });

  it('has no report when there is neither a work directory nor kept data', async () => {
    assert.equal(await loadJobReport(path.join(dir, 'gone.work'), path.join(dir, 'out.av1.mkv')), undefined);
    assert.equal(await loadReportData(path.join(dir, 'none.json')), undefined);
  });
});

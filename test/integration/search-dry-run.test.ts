import assert from 'node:assert/strict';
import path from 'node:path';
import { basicClip, tempDir } from '../helpers/clips';
import { runCliSync, TINY_SEGMENT_FLAGS } from '../helpers/cli';

/**
 * `search` (the dry run) stays cheap (issue 22, item 5): it verifies nothing, so the job's predictor
 * never gets a label, and the content fingerprint (crf/content-window.ts: a window cut, encoded and
 * scored per segment), which only serves the predictor, is not measured. `encode` on the same clip
 * measures it (the control: the log line this test looks for is real).
 */
const OPTIONS = ['--target-vmaf', '90', '--vmaf-subsample', '4', ...TINY_SEGMENT_FLAGS, '--json'];

function logMessages(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; message?: string })
    .filter((e) => e.event === 'log')
    .map((e) => e.message ?? '');
}

describe('search (the dry run)', function () {
  const work = tempDir('chunked-av1-search-dry-');
  after(() => work.cleanup());

  it('measures no content fingerprint; encode on the same clip does', () => {
    const input = basicClip(path.join(work.dir, 'clip.mkv'), { seconds: 3, size: '160x120', gopFrames: 24 });
    const search = runCliSync(['search', input, ...OPTIONS], { timeoutMs: 300_000 });
    assert.equal(search.status, 0, search.stderr);
    const searched = logMessages(search.stdout);
    assert.ok(
      searched.some((m) => /^segment \d+: CRF \d+/.test(m)),
      'the search decided its segments',
    );
    assert.deepEqual(
      searched.filter((m) => /content window/.test(m)),
      [],
    );
    const encode = runCliSync(['encode', input, '-o', path.join(work.dir, 'clip.av1.mkv'), ...OPTIONS], { timeoutMs: 300_000 });
    assert.equal(encode.status, 0, encode.stderr);
    assert.ok(
      logMessages(encode.stdout).some((m) => /^segment \d+: content window VMAF/.test(m)),
      'encode measures the fingerprint (so its absence above is the dry run skipping it)',
    );
  });
});

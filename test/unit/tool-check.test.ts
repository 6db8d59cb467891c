import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { installHint, toolCheckSummary } from '../../client/src/toolText';
import { checkTools } from '../../server/src/lsp/tool-check';

describe("the editor's ffmpeg check (walkthrough step one)", () => {
  it('finds the ffmpeg on PATH with libsvtav1, and ffprobe', async () => {
    const result = await checkTools({ ffmpegPath: '', ffprobePath: '' });
    assert.equal(result.problem, undefined, result.problem);
    assert.equal(result.hasLibsvtav1, true);
    assert.equal(result.ffprobeRuns, true);
    assert.match(result.version!, /^ffmpeg version /);
  });

  it('names a missing ffmpeg in one line, without throwing', async () => {
    const result = await checkTools({ ffmpegPath: '/nonexistent/ffmpeg', ffprobePath: '/nonexistent/ffprobe' });
    assert.equal(result.hasLibsvtav1, false);
    assert.equal(result.ffprobeRuns, false);
    assert.match(result.problem!, /^\/nonexistent\/ffmpeg: ffmpeg was not found or does not run$/);
  });

  it('names an ffmpeg without libsvtav1 (the VMAF-only static build)', async function () {
    const vmafOnly = '.cache/libvmaf-ffmpeg/ffmpeg';
    if (!existsSync(vmafOnly)) this.skip();
    const result = await checkTools({ ffmpegPath: vmafOnly, ffprobePath: '' });
    if (result.hasLibsvtav1) this.skip();
    assert.match(result.problem!, /has no libsvtav1 encoder/);
    assert.equal(result.hasLibvmaf, true);
  });
});

describe('Check ffmpeg text', () => {
  it('gives the install line of each OS, and all of them elsewhere', () => {
    assert.match(installHint('win32'), /winget install Gyan\.FFmpeg/);
    assert.match(installHint('darwin'), /brew install ffmpeg/);
    assert.match(installHint('linux'), /apt install ffmpeg/);
    const other = installHint('freebsd');
    for (const line of [/winget/, /brew/, /apt/]) assert.match(other, line);
  });

  it('says what was found, or only what is missing', () => {
    const found = {
      ffmpeg: 'ffmpeg',
      ffprobe: 'ffprobe',
      version: 'ffmpeg version 5.1',
      hasLibsvtav1: true,
      hasLibvmaf: false,
      ffprobeRuns: true,
    };
    assert.equal(toolCheckSummary(found), 'ffmpeg version 5.1 with libsvtav1 (VMAF runs in the built-in engine); ffprobe runs');
    assert.equal(
      toolCheckSummary({ ...found, hasLibsvtav1: false, problem: 'ffmpeg: this ffmpeg has no libsvtav1 encoder' }),
      'ffmpeg: this ffmpeg has no libsvtav1 encoder',
    );
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isWithin, outputFacts, outputRefusal, resolveReal } from '../../server/src/lsp/output-placement';

const none = { overwrite: false, allowOutsideWorkspace: false };

describe('output placement: what the editor asks before a job starts', () => {
  it('tells inside from outside by path segments, not by string prefix', () => {
    assert.equal(isWithin('/w/project/out/a.mkv', '/w/project'), true);
    assert.equal(isWithin('/w/project', '/w/project'), true);
    assert.equal(isWithin('/w/project-other/a.mkv', '/w/project'), false);
    assert.equal(isWithin('/w/a.mkv', '/w/project'), false);
    assert.equal(isWithin('/w/project/..foo/a.mkv', '/w/project'), true, 'a name starting with two dots is inside');
  });

  it('refuses an output outside every allowed folder until the user confirms the place', () => {
    const facts = { output: '/elsewhere/a.av1.mkv', exists: false, allowedFolders: ['/w/project', '/videos'] };
    assert.deepEqual(outputRefusal(facts, none), { reason: 'outputOutsideWorkspace', output: '/elsewhere/a.av1.mkv' });
    assert.equal(outputRefusal(facts, { ...none, allowOutsideWorkspace: true }), undefined);
    assert.equal(outputRefusal({ ...facts, output: '/videos/a.av1.mkv' }, none), undefined, "the input's folder is fine");
  });

  it('refuses to replace an existing file until the user chooses Replace; place first, then the file', () => {
    const facts = { output: '/w/project/a.av1.mkv', exists: true, allowedFolders: ['/w/project'] };
    assert.deepEqual(outputRefusal(facts, none), { reason: 'outputExists', output: '/w/project/a.av1.mkv' });
    assert.equal(outputRefusal(facts, { ...none, overwrite: true }), undefined);
    const outside = { ...facts, output: '/tmp/x.mkv' };
    assert.equal(outputRefusal(outside, { ...none, overwrite: true })?.reason, 'outputOutsideWorkspace');
    assert.equal(outputRefusal(outside, { ...none, allowOutsideWorkspace: true })?.reason, 'outputExists');
  });

  describe('on real files', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'placement-'));
    });
    afterEach(() => {
      rmSync(root, { recursive: true, force: true });
    });

    it('follows a symlinked folder to where the file really goes, and resolves `..`', () => {
      const project = path.join(root, 'project');
      const outside = path.join(root, 'outside');
      mkdirSync(project);
      mkdirSync(outside);
      symlinkSync(outside, path.join(project, 'link'));
      const input = path.join(project, 'in.mkv');
      writeFileSync(input, '');
      const viaLink = outputFacts(path.join(project, 'link', 'new', 'a.mkv'), input, [project]);
      assert.equal(viaLink.output, path.join(resolveReal(outside), 'new', 'a.mkv'));
      assert.equal(outputRefusal(viaLink, none)?.reason, 'outputOutsideWorkspace');
      const viaDots = outputFacts(path.join(project, '..', 'outside', 'a.mkv'), input, [project]);
      assert.equal(outputRefusal(viaDots, none)?.reason, 'outputOutsideWorkspace');
      assert.equal(outputRefusal(outputFacts(path.join(project, 'out', 'a.mkv'), input, [project]), none), undefined);
    });

    it('sees a file, and a dangling symlink, at the output path as something to replace', () => {
      const input = path.join(root, 'in.mkv');
      writeFileSync(input, '');
      writeFileSync(path.join(root, 'a.av1.mkv'), 'x');
      symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling.mkv'));
      assert.equal(outputFacts(path.join(root, 'a.av1.mkv'), input, []).exists, true);
      assert.equal(outputFacts(path.join(root, 'dangling.mkv'), input, []).exists, true);
      assert.equal(outputFacts(path.join(root, 'b.av1.mkv'), input, []).exists, false);
    });
  });
});

import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { basicClip, tempDir, type BasicClipOptions } from './clips';
import { requireBuiltCli } from './resume-fixture';

/**
 * One folder per case, each with its own copy of one generated clip (`in.mkv`) and the output's
 * path beside it: what the real-CLI hostile tests start every case from. Call it in a `describe`:
 * it registers the mocha hooks that make the clip (after checking the CLI is built) and remove
 * everything after the suite.
 */
export function caseFolders(prefix: string, clip: BasicClipOptions): () => { dir: string; input: string; output: string } {
  const root = tempDir(prefix);
  let made = '';
  let cases = 0;
  before(() => {
    requireBuiltCli();
    made = basicClip(path.join(root.dir, 'clip.mkv'), clip);
  });
  after(() => root.cleanup());
  return () => {
    const dir = path.join(root.dir, `case-${++cases}`);
    mkdirSync(dir);
    const input = path.join(dir, 'in.mkv');
    copyFileSync(made, input);
    return { dir, input, output: path.join(dir, 'out.mkv') };
  };
}

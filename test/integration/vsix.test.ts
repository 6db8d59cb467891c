/**
 * The packaged .vsix, listed as a user receives it: the icon, the user README with every image it
 * shows, the walkthrough media, CHANGELOG and LICENSE are in; developer-only files are out. Packs
 * with the same vsce arguments as `npm run package` (read from package.json), from the current dist/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readPackageJson } from '../helpers/package-json';

const ROOT = path.resolve(__dirname, '../..');
const pkg = readPackageJson(ROOT);

function vsceArguments(out: string): string[] {
  const script = pkg.scripts.package;
  const args = script.slice(script.indexOf('vsce package') + 'vsce '.length).split(/\s+/);
  args[args.indexOf('--out') + 1] = out;
  return args;
}

describe('the .vsix', function () {
  this.timeout(120_000);
  let temp: string;
  let files: string[];
  let readme: string;

  before(function () {
    if (!existsSync(path.join(ROOT, 'dist/client.js'))) this.skip();
    temp = mkdtempSync(path.join(os.tmpdir(), 'vsix-'));
    const vsix = path.join(temp, 'chunked-av1.vsix');
    execFileSync(path.join(ROOT, 'node_modules/.bin/vsce'), vsceArguments(vsix), { cwd: ROOT, stdio: 'pipe' });
    files = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
    readme = execFileSync('unzip', ['-p', vsix, 'extension/readme.md'], { encoding: 'utf8' });
  });

  after(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('holds the 128x128 icon, the LICENSE and the CHANGELOG', () => {
    assert.equal(pkg.icon, 'media/icon.png');
    assert.ok(files.includes(`extension/${pkg.icon}`));
    const png = readFileSync(path.join(ROOT, pkg.icon));
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(files.some((f) => /^extension\/LICENSE(\.txt)?$/.test(f)));
    assert.ok(files.includes('extension/changelog.md'));
  });

  it('shows the user README, and packs every image it links and no other screenshot', () => {
    assert.equal(readme, readFileSync(path.join(ROOT, 'docs/marketplace/README.md'), 'utf8'));
    assert.doesNotMatch(readme, /npm (test|run demo)/, "not the developers' README");
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    assert.ok(images.length >= 3);
    for (const image of images) assert.ok(files.includes(`extension/${image}`), `${image} is packed`);
    const packed = files.filter((f) => f.startsWith('extension/docs/screenshots/'));
    assert.deepEqual(packed.sort(), images.map((image) => `extension/${image}`).sort(), 'no screenshot the README does not show');
  });

  it('packs the walkthrough media and the view container icon', () => {
    const media = pkg.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown ?? s.media.image));
    for (const file of [...media, pkg.contributes.viewsContainers.activitybar[0]?.icon])
      assert.ok(files.includes(`extension/${file}`), file);
  });

  it('leaves developer-only files out', () => {
    const developerOnly =
      /^extension\/(README\.md|test\/|bench\/|scripts\/|server\/src\/|client\/src\/|common\/|dist\/test\/|docs\/notes\/|.*\.map$|tsconfig|package-lock\.json|\.ci\/)/;
    assert.deepEqual(
      files.filter((f) => developerOnly.test(f)),
      [],
    );
  });
});

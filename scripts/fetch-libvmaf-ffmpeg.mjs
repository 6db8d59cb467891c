#!/usr/bin/env node
// Fetches an ffmpeg with a libvmaf filter for the tests, which Debian's ffmpeg lacks: John Van
// Sickle's static build of 2018-12-10 (ffmpeg 4.1-dev, libvmaf 1.3.7, no libsvtav1), as the npm
// package @ffmpeg-installer/linux-x64@4.1.0 carries it. The npm registry is the one download
// source a machine here can reach; the tarball is checked against the integrity pinned below.
//
//   node scripts/fetch-libvmaf-ffmpeg.mjs     prints the binary's path (.cache/libvmaf-ffmpeg/ffmpeg)
//
// Linux x64 only; elsewhere it prints nothing and exits 0 (the tests that need it then skip).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@ffmpeg-installer/linux-x64@4.1.0';
const INTEGRITY = 'sha512-Y5BWhGLU/WpQjOArNIgXD3z5mxxdV8c41C+U15nsE5yF8tVcdCGet5zPs5Zy3Ta6bU7haGpIzryutqCGQA/W8A==';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LIBVMAF_FFMPEG = path.join(root, '.cache', 'libvmaf-ffmpeg', 'ffmpeg');

function hasLibvmaf(ffmpeg) {
  try {
    return /\slibvmaf\s/.test(
      execFileSync(ffmpeg, ['-hide_banner', '-filters'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
  } catch {
    return false;
  }
}

function fetchBinary() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'chunked-av1-libvmaf-ffmpeg-'));
  try {
    execFileSync('npm', ['pack', PACKAGE, '--pack-destination', scratch, '--loglevel=error'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${PACKAGE} left no tarball`);
    const digest = `sha512-${createHash('sha512')
      .update(readFileSync(path.join(scratch, tarball)))
      .digest('base64')}`;
    if (digest !== INTEGRITY) throw new Error(`${PACKAGE}: integrity ${digest} is not the pinned ${INTEGRITY}`);
    execFileSync('tar', ['-xzf', path.join(scratch, tarball), '-C', scratch, 'package/ffmpeg']);
    mkdirSync(path.dirname(LIBVMAF_FFMPEG), { recursive: true });
    chmodSync(path.join(scratch, 'package', 'ffmpeg'), 0o755);
    renameSync(path.join(scratch, 'package', 'ffmpeg'), LIBVMAF_FFMPEG);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.platform !== 'linux' || process.arch !== 'x64') process.exit(0);
  if (!(existsSync(LIBVMAF_FFMPEG) && hasLibvmaf(LIBVMAF_FFMPEG))) {
    process.stderr.write(`setup: fetching an ffmpeg with libvmaf for the tests (${PACKAGE}, 23 MB)\n`);
    fetchBinary();
    if (!hasLibvmaf(LIBVMAF_FFMPEG)) throw new Error(`${LIBVMAF_FFMPEG}: fetched, but it lists no libvmaf filter`);
  }
  process.stdout.write(`${LIBVMAF_FFMPEG}\n`);
}

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

describe('cli', () => {
  it('prints usage and exits 2 without a command', () => {
    const run = spawnSync(process.execPath, [CLI], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stdout, /usage: chunked-av1/);
  });

  it('rejects an unknown command with exit 2', () => {
    const run = spawnSync(process.execPath, [CLI, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown command "frobnicate"/);
  });

  it('prints help with exit 0', () => {
    assert.match(execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }), /commands:/);
  });
});

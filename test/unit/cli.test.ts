import assert from 'node:assert/strict';
import { runCliSync } from '../helpers/cli';

describe('cli', () => {
  it('prints usage and exits 2 without a command', () => {
    const run = runCliSync([]);
    assert.equal(run.status, 2);
    assert.match(run.stdout, /usage: chunked-av1/);
  });

  it('rejects an unknown command with exit 2', () => {
    const run = runCliSync(['frobnicate']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown command "frobnicate"/);
  });

  it('prints help with exit 0', () => {
    const run = runCliSync(['--help']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /commands:/);
  });
});

import assert from 'node:assert/strict';
import { openAction, revealAction, type Host } from '../../client/src/fileActions';

const desktop: Host = { uiKind: 'desktop' };
const remote: Host = { uiKind: 'desktop', remoteName: 'ssh-remote' };
const wsl: Host = { uiKind: 'desktop', remoteName: 'wsl' };
const web: Host = { uiKind: 'web' };
const codeServer: Host = { uiKind: 'web', remoteName: 'localhost:8080' };

describe('output actions by where the editor runs', () => {
  it('desktop with local files: the OS file manager and the default player', () => {
    assert.equal(revealAction(desktop, true), 'revealInOS');
    assert.equal(revealAction(desktop, false), 'revealInOS');
    assert.equal(openAction(desktop), 'openExternal');
  });

  it('remote (SSH, WSL): the Explorer for workspace files, else copy the path; no OS player', () => {
    for (const host of [remote, wsl]) {
      assert.equal(revealAction(host, true), 'revealInExplorer');
      assert.equal(revealAction(host, false), 'copyPath');
      assert.equal(openAction(host), 'offerRevealOrCopy');
    }
  });

  it('web, code-server included: the same fallbacks', () => {
    for (const host of [web, codeServer]) {
      assert.equal(revealAction(host, true), 'revealInExplorer');
      assert.equal(revealAction(host, false), 'copyPath');
      assert.equal(openAction(host), 'offerRevealOrCopy');
    }
  });
});

import assert from 'node:assert/strict';
import { HostSpecError, hostKey, parseHostList, parseHostSpec, sshlogin } from '../../server/src/hosts/host-spec';

describe('host specs (--hosts)', () => {
  it('reads [N/][user@]host[:port] and : for this machine', () => {
    assert.deepEqual(parseHostSpec('4/alice@render-1.lan:2222'), {
      text: '4/alice@render-1.lan:2222',
      local: false,
      workers: 4,
      user: 'alice',
      host: 'render-1.lan',
      port: 2222,
    });
    assert.deepEqual(parseHostSpec('10.0.0.7'), { text: '10.0.0.7', local: false, host: '10.0.0.7' });
    assert.deepEqual(parseHostSpec(':'), { text: ':', local: true });
    assert.deepEqual(parseHostSpec('2/:'), { text: '2/:', local: true, workers: 2 });
    assert.deepEqual(parseHostSpec('my_alias'), { text: 'my_alias', local: false, host: 'my_alias' });
  });

  it('turns a host into GNU parallel sshlogin N/user@host:port', () => {
    assert.equal(sshlogin(parseHostSpec('alice@box:2222'), 3), '3/alice@box:2222');
    assert.equal(sshlogin(parseHostSpec('8/box'), 8), '8/box');
    assert.equal(hostKey(parseHostSpec('5/box')), 'box');
    assert.equal(hostKey(parseHostSpec(':')), ':');
    assert.throws(() => sshlogin(parseHostSpec(':'), 1));
  });

  const hostile = [
    '-oProxyCommand=touch /tmp/x',
    '-p',
    'box -oProxyCommand=x',
    'box;rm',
    'box$(id)',
    'box`id`',
    "box'",
    'a"b',
    'box|x',
    'box&',
    'box>x',
    'user@-box',
    '-user@box',
    'box\nother',
    'bóx',
    'box:0',
    'box:70000',
    'box:',
    '0/box',
    '999/box',
    'a@b@c',
    'box#1',
    '',
    '   ',
    '@box',
    'user@',
    '~box',
    'box*',
    '[::1]',
  ];
  for (const text of hostile) {
    it(`refuses ${JSON.stringify(text)} with one line`, () => {
      assert.throws(
        () => parseHostSpec(text),
        (error: unknown) => {
          assert.ok(error instanceof HostSpecError);
          assert.ok(!error.message.includes('\n'), error.message);
          return true;
        },
      );
    });
  }

  it('reads comma lists and hosts files with comments; refuses duplicates', () => {
    assert.deepEqual(parseHostList(':, 2/a,b:22').map(hostKey), [':', 'a', 'b:22']);
    assert.deepEqual(parseHostList('# farm\n4/a  # big one\n\nb,c\n', { file: true }).map(hostKey), ['a', 'b', 'c']);
    assert.throws(() => parseHostList('a,2/a'), /listed twice/);
  });
});

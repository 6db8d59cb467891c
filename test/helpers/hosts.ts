import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Real separate hosts on this machine for the --hosts tests: each is a network namespace (its own
 * veth pair and address in 10.213.0.0/16, which exists only inside the namespaces made here) and a
 * mount namespace in which /tmp and /root are private tmpfs (a remote job cannot read the local
 * work directory), running its own sshd with a host key and an authorized key made for the test.
 * Needs root (CI is); otherwise `unavailableReason` says why and the tests skip.
 */
const SCRIPT = path.join(__dirname, 'namespace-host.sh');

export interface TestHost {
  /** Namespace name (made by this helper). */
  ns: string;
  address: string;
  /** The sshd we started (pid of `ip netns exec …`, which execs into sshd). */
  sshd?: ChildProcess;
}

export interface TestHosts {
  hosts: TestHost[];
  /** ssh client config for CHUNKED_AV1_SSH_CONFIG (key, no known_hosts prompts, batch mode). */
  sshConfig: string;
  env: Record<string, string>;
  /** Command lines of the processes running in a host's namespace. */
  processes(host: TestHost): string[][];
  /** The same with each one's pid and state (R, S, T for stopped, ...). */
  processEntries(host: TestHost): { pid: number; argv: string[]; state: string }[];
  /** SIGKILL every process in a host's namespace (its sshd and its jobs): the host is gone. */
  kill(host: TestHost): void;
  teardown(): void;
}

function run(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Why namespace hosts cannot be made here, or undefined when they can. */
export function unavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'namespace hosts need Linux';
  if (process.getuid?.() !== 0) return 'namespace hosts need root (ip netns, mount)';
  for (const tool of ['/usr/sbin/sshd', '/usr/bin/parallel', '/usr/bin/rsync', '/usr/bin/ssh']) {
    try {
      execFileSync(tool, tool.endsWith('sshd') ? ['-t', '-f', '/dev/null'] : ['-V'], { stdio: 'ignore' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `${tool} is not installed (scripts/setup.sh --e2e installs it)`;
    }
  }
  const probe = `cav1-probe-${process.pid}`;
  try {
    run('ip', ['netns', 'add', probe]);
    run('ip', ['netns', 'del', probe]);
  } catch (error) {
    return `cannot create a network namespace: ${(error as Error).message.split('\n')[0]}`;
  }
  return undefined;
}

function waitForPort(address: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect({ host: address, port, timeout: 500 });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      const retry = () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`sshd on ${address} did not start`));
        else setTimeout(attempt, 100);
      };
      socket.once('error', retry);
      socket.once('timeout', retry);
    };
    attempt();
  });
}

export interface HostOptions {
  /** Wrapper programs put first on this host's PATH (name → sh script), e.g. a FAKE ffmpeg. */
  bin?: Record<string, string>;
}

/** Hosts made by this process so far: names and subnets stay unique across createTestHosts calls. */
let made = 0;
const MAX_HOSTS = 6;

/** Makes `count` hosts (options per host); call teardown() in after(). */
export async function createTestHosts(options: HostOptions[]): Promise<TestHosts> {
  const dir = mkdtempSync('/var/tmp/chunked-av1-hosts-');
  const key = path.join(dir, 'id_ed25519');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${key}.pub`));
  const sshConfig = path.join(dir, 'ssh_config');
  writeFileSync(
    sshConfig,
    [
      'Host *',
      `  IdentityFile ${key}`,
      '  IdentitiesOnly yes',
      '  StrictHostKeyChecking no',
      '  UserKnownHostsFile /dev/null',
      '  LogLevel ERROR',
      '  BatchMode yes',
      '',
    ].join('\n'),
  );
  const subnetBase = (process.pid % 40) * MAX_HOSTS;
  const hosts: TestHost[] = [];
  const teardown = () => {
    for (const host of hosts) {
      try {
        killNamespace(host.ns);
        run('ip', ['netns', 'del', host.ns]);
      } catch {
        /* already gone */
      }
    }
    if (!process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const hostOptions of options) {
      const i = made++;
      if (i >= MAX_HOSTS) throw new Error(`at most ${MAX_HOSTS} namespace hosts per test process`);
      const ns = `cav1-${process.pid}-${i}`;
      const subnet = `10.213.${subnetBase + i}`;
      const outer = `cv${process.pid % 100000}h${i}a`;
      const inner = `cv${process.pid % 100000}h${i}b`;
      run('ip', ['netns', 'add', ns]);
      const host: TestHost = { ns, address: `${subnet}.2` };
      hosts.push(host);
      run('ip', ['link', 'add', outer, 'type', 'veth', 'peer', 'name', inner]);
      run('ip', ['link', 'set', inner, 'netns', ns]);
      run('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', outer]);
      run('ip', ['link', 'set', outer, 'up']);
      run('ip', ['netns', 'exec', ns, 'ip', 'addr', 'add', `${host.address}/24`, 'dev', inner]);
      run('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', inner, 'up']);
      run('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
      const config = path.join(dir, `sshd_config_${i}`);
      writeFileSync(
        config,
        [
          `ListenAddress ${host.address}`,
          'Port 22',
          `HostKey ${path.join(dir, 'host_key')}`,
          `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
          'PidFile none',
          'UsePAM no',
          'StrictModes no',
          'PermitRootLogin prohibit-password',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'MaxStartups 100',
          'MaxSessions 100',
          '',
        ].join('\n'),
      );
      const bin: string[] = [];
      if (hostOptions.bin) {
        const binDir = path.join(dir, `bin_${i}`);
        execFileSync('mkdir', ['-p', binDir]);
        for (const [name, script] of Object.entries(hostOptions.bin)) {
          writeFileSync(path.join(binDir, name), script);
          chmodSync(path.join(binDir, name), 0o755);
        }
        bin.push('--bin', binDir);
      }
      host.sshd = spawn(
        'ip',
        [
          'netns',
          'exec',
          ns,
          'unshare',
          '--mount',
          '--propagation',
          'private',
          'bash',
          SCRIPT,
          ...bin,
          '/tmp',
          '/root',
          '--',
          '-D',
          '-e',
          '-f',
          config,
        ],
        { stdio: 'ignore' },
      );
      await waitForPort(host.address, 22, 10_000);
    }
  } catch (error) {
    teardown();
    throw error;
  }
  return {
    hosts,
    sshConfig,
    env: { CHUNKED_AV1_SSH_CONFIG: sshConfig },
    processes: (host) =>
      namespacePids(host.ns)
        .map(argvOf)
        .filter((argv) => argv.length > 0),
    processEntries: (host) =>
      namespacePids(host.ns)
        .map((pid) => ({ pid, argv: argvOf(pid), state: stateOf(pid) }))
        .filter((entry) => entry.argv.length > 0),
    kill: (host) => killNamespace(host.ns),
    teardown,
  };
}

/** Pids of the processes in a namespace we made (`ip netns pids`). */
function namespacePids(ns: string): number[] {
  try {
    return run('ip', ['netns', 'pids', ns])
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
  } catch {
    return [];
  }
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The state letter from /proc/PID/stat (after the parenthesised name), or '' when gone. */
function stateOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '';
  }
}

function killNamespace(ns: string): void {
  for (const pid of namespacePids(ns)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* exited meanwhile */
    }
  }
}

/** Every ffmpeg running in any of the hosts' namespaces. */
export function ffmpegIn(hosts: TestHosts): string[][] {
  return hosts.hosts.flatMap((host) => hosts.processes(host)).filter((argv) => argv.some((arg) => path.basename(arg) === 'ffmpeg'));
}

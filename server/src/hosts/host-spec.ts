/**
 * `--hosts` / `--hosts-file` / the `chunkedAv1.hosts` setting: which machines encode segments.
 * Each entry is `[N/][user@]host[:port]` (N workers on that host) or `:` for this machine, and
 * becomes one GNU parallel sshlogin (`N/user@host:port`), which GNU parallel turns into the ssh
 * command line it runs. Pure: parsing and validation only.
 *
 * Validation is strict because GNU parallel hands the host string to ssh: nothing may start with
 * `-` (an ssh option), and only the characters of host names, IPv4 addresses and plain
 * `~/.ssh/config` aliases are accepted, so no space or shell character ever reaches a command line.
 */
import { HOST_NAME_SOURCE, LOCAL_HOST, MAX_WORKERS_PER_HOST, USER_NAME_SOURCE } from '../../../common/host-grammar';

export { LOCAL_HOST, MAX_WORKERS_PER_HOST };

export interface HostSpec {
  /** The entry as written (trimmed). */
  text: string;
  /** `:`: this machine, run by the local pool, not over ssh. */
  local: boolean;
  /** N/ when given; otherwise the host check sets it from the host's cores and memory. */
  workers?: number;
  user?: string;
  /** Host name, IPv4 address or ~/.ssh/config alias (absent for `:`). */
  host?: string;
  port?: number;
}

/** A host entry that cannot be used; the message is the one line the user sees. */
export class HostSpecError extends Error {
  constructor(
    readonly text: string,
    reason: string,
  ) {
    super(`host "${printable(text)}": ${reason}`);
    this.name = 'HostSpecError';
  }
}

const HOST_NAME = new RegExp(`^${HOST_NAME_SOURCE}$`);
const USER_NAME = new RegExp(`^${USER_NAME_SOURCE}$`);
const ENTRY = /^(?:(\d+)\/)?(?:([^@]*)@)?([^@:]*)(?::(\d*))?$/;

/** The entry with control characters shown, so a hostile string cannot break the message line. */
function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

export function parseHostSpec(raw: string): HostSpec {
  const text = raw.trim();
  if (!text) throw new HostSpecError(raw, 'empty host');
  if (text.startsWith('-')) throw new HostSpecError(text, 'must not start with "-" (it would be read as an ssh option)');
  if (/[\s'"`$;&|<>()\\*?!#{}[\]~^]/.test(text) || /[^\x21-\x7e]/.test(text)) {
    throw new HostSpecError(text, 'contains a space, a shell character or a non-ASCII character; write [N/][user@]host[:port]');
  }
  const local = /^(?:(\d+)\/)?:$/.exec(text);
  if (local) {
    const spec: HostSpec = { text, local: true };
    if (local[1] !== undefined) spec.workers = workerCount(text, local[1]);
    return spec;
  }
  const match = ENTRY.exec(text);
  if (!match) throw new HostSpecError(text, 'is not [N/][user@]host[:port]');
  const [, workers, user, host, port] = match;
  if (!host || !HOST_NAME.test(host) || host.startsWith('-'))
    throw new HostSpecError(text, 'has no valid host name (letters, digits, ".", "-", "_"; not starting with "-")');
  const spec: HostSpec = { text, local: false, host };
  if (workers !== undefined) spec.workers = workerCount(text, workers);
  if (user !== undefined) {
    if (!USER_NAME.test(user))
      throw new HostSpecError(text, 'has an invalid user name (letters, digits, ".", "-", "_"; not starting with "-" or a digit)');
    spec.user = user;
  }
  if (port !== undefined) {
    const number = Number(port);
    if (!port || !Number.isInteger(number) || number < 1 || number > 65535) throw new HostSpecError(text, 'has a port outside 1-65535');
    spec.port = number;
  }
  return spec;
}

function workerCount(text: string, digits: string): number {
  const count = Number(digits);
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS_PER_HOST)
    throw new HostSpecError(text, `worker count must be 1-${MAX_WORKERS_PER_HOST}`);
  return count;
}

/**
 * A comma-separated --hosts value, or a --hosts-file's text (one or more entries a line, `#`
 * starts a comment). Duplicates (same user, host and port) are refused: GNU parallel would merge
 * them and the worker counts would not add up.
 */
export function parseHostList(text: string, options: { file?: boolean } = {}): HostSpec[] {
  const entries: string[] = [];
  for (const line of text.split('\n')) {
    const content = options.file ? line.replace(/(^|\s)#.*$/, '') : line;
    for (const entry of content.split(',')) if (entry.trim()) entries.push(entry.trim());
  }
  const specs = entries.map(parseHostSpec);
  const seen = new Set<string>();
  for (const spec of specs) {
    const key = hostKey(spec);
    if (seen.has(key)) throw new HostSpecError(spec.text, 'is listed twice');
    seen.add(key);
  }
  return specs;
}

/** user@host:port without N/: GNU parallel's name for the host (its --tag and joblog use it). */
export function hostKey(spec: HostSpec): string {
  if (spec.local) return LOCAL_HOST;
  return `${spec.user ? `${spec.user}@` : ''}${spec.host}${spec.port ? `:${spec.port}` : ''}`;
}

/** GNU parallel's --sshlogin for a remote host with `workers` job slots. */
export function sshlogin(spec: HostSpec, workers: number): string {
  if (spec.local) throw new Error('the local host (:) does not run through ssh');
  return `${Math.max(1, Math.floor(workers))}/${hostKey(spec)}`;
}

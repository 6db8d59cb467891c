import { CancelledError } from '../errors';
import { LOCAL_HOST, type RunnerHost } from '../job';

/**
 * Where each segment of a --hosts job runs: this machine (`:`) and the remote hosts, each with its
 * worker slots. A segment goes to a free place that has not failed it yet, the one given the
 * fewest segments so far; a segment that failed everywhere still up may go anywhere. A host whose
 * ssh connection failed on every try is down: it takes no more segments. The choices are pure
 * functions; Places keeps the counts and lets a segment wait for a slot.
 */
export interface Place extends RunnerHost {
  busy: number;
  assigned: number;
}

/**
 * The place for the next segment among `places` (this machine first, then the hosts in their
 * order): a free one outside `avoid` (places that failed this segment) with the fewest segments
 * so far. Undefined: wait, because every fitting place is busy. Places outside `avoid` are
 * preferred even when busy; only when there are none does a place in `avoid` take it again. Pure.
 */
export function choosePlace(places: readonly Place[], avoid: ReadonlySet<string> = new Set()): string | undefined {
  const open = places.filter((place) => place.workers > 0);
  const fresh = open.filter((place) => !avoid.has(place.host));
  let best: Place | undefined;
  for (const place of fresh.length ? fresh : open) {
    if (place.busy >= place.workers) continue;
    if (!best || place.assigned < best.assigned) best = place;
  }
  return best?.host;
}

/**
 * The order to offer a job to the remote hosts: the one with the most free slots (relative to
 * its workers) first, then the others, which GNU parallel tries when the first fails. Pure.
 */
export function hostOrder(hosts: readonly (RunnerHost & { busy: number })[]): string[] {
  return hosts
    .map((host, position) => ({ host: host.host, load: host.busy / Math.max(1, host.workers), position }))
    .sort((a, b) => a.load - b.load || a.position - b.position)
    .map((entry) => entry.host);
}

/** Every place that could take a segment is gone: the hosts that are down, each with its cause. */
export interface GoneHosts {
  hosts: { host: string; cause: string }[];
}

export class Places {
  private readonly local: Place;
  private readonly remote: Place[];
  /** Hosts that are down, with the cause. */
  private readonly down = new Map<string, string>();
  /** Places each segment has failed on (by segment index). */
  private readonly failedOn = new Map<number, Set<string>>();
  private waiters: (() => void)[] = [];

  constructor(hosts: readonly RunnerHost[], localWorkers: number) {
    this.local = { host: LOCAL_HOST, workers: localWorkers, busy: 0, assigned: 0 };
    this.remote = hosts.filter((host) => host.host !== LOCAL_HOST).map((host) => ({ ...host, busy: 0, assigned: 0 }));
  }

  get hasRemote(): boolean {
    return this.remote.length > 0;
  }

  /** The remote hosts that are up, in the order GNU parallel should try them for this segment (`first` first). */
  sshloginOrder(first: string, index: number): string[] {
    const avoid = this.failedOn.get(index);
    const up = hostOrder(this.remote.filter((host) => !this.down.has(host.host))).filter((host) => host !== first);
    return [first, ...up.filter((host) => !avoid?.has(host)), ...up.filter((host) => avoid?.has(host))];
  }

  /**
   * A slot for segment `index`, waiting while every fitting place is busy. When nothing is up
   * any more, `confirmGone` decides (it may bring hosts back with `revive`); what it returns is thrown.
   */
  async acquire(
    index: number,
    signal: AbortSignal | undefined,
    confirmGone: (gone: GoneHosts) => Promise<Error | undefined>,
  ): Promise<string> {
    for (;;) {
      if (signal?.aborted) throw new CancelledError();
      const up = [this.local, ...this.remote.filter((host) => !this.down.has(host.host))];
      if (!up.some((place) => place.workers > 0)) {
        const stop = await confirmGone(this.downHosts());
        if (stop) throw stop;
        continue;
      }
      const host = choosePlace(up, this.failedOn.get(index));
      const place = host === undefined ? undefined : up.find((p) => p.host === host);
      if (place) {
        place.busy += 1;
        place.assigned += 1;
        return place.host;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  release(host: string): void {
    const place = host === LOCAL_HOST ? this.local : this.remote.find((p) => p.host === host);
    if (place) place.busy -= 1;
    this.wakeAll();
  }

  /** Segment `index` failed on `host`: its next attempt goes elsewhere when it can. */
  failed(index: number, host: string): void {
    const hosts = this.failedOn.get(index) ?? new Set<string>();
    hosts.add(host);
    this.failedOn.set(index, hosts);
  }

  /** These hosts' ssh connections failed on every try: they take no more segments. */
  markDown(hosts: readonly string[], cause: string): void {
    for (const host of hosts) if (this.remote.some((p) => p.host === host)) this.down.set(host, cause);
    this.wakeAll();
  }

  isDown(host: string): boolean {
    return this.down.has(host);
  }

  /** A host that answers again (a new check passed) takes segments again. */
  revive(host: string): void {
    this.down.delete(host);
    this.wakeAll();
  }

  downHosts(): GoneHosts {
    return { hosts: [...this.down].map(([host, cause]) => ({ host, cause })) };
  }

  /** True when no place with workers is left: no local slot and every host down. */
  get allGone(): boolean {
    return this.local.workers === 0 && this.remote.every((host) => this.down.has(host.host));
  }

  private wakeAll(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}

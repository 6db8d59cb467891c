import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors';
import { ChildRegistry, parseStatStartTime } from '../sys';
import { MAX_SMALL_FILE_BYTES, readRegularFileSync } from '../sys';

/**
 * One job per work directory. Two runs writing the same segments and manifest would corrupt
 * each other, so a run takes `lock` (created exclusively) and gives it back when it ends. A lock
 * left by a run that was killed is stale — its pid is gone or belongs to another process now —
 * and is taken over. `status` reads the lock to say whether a job is running.
 */
export const LOCK_FILE = 'lock';

export interface LockOwner {
  pid: number;
  startTime: string;
  host: string;
  since: string;
}

function ownStartTime(): string {
  try {
    return parseStatStartTime(readFileSync('/proc/self/stat', 'utf8')) ?? '';
  } catch {
    return '';
  }
}

/** The live owner of the work dir's lock, or undefined when there is none or it is stale. */
export function lockOwner(workDir: string): LockOwner | undefined {
  let owner: LockOwner;
  try {
    owner = JSON.parse(readRegularFileSync(path.join(workDir, LOCK_FILE), MAX_SMALL_FILE_BYTES, 'a lock file')) as LockOwner;
  } catch {
    return undefined;
  }
  if (owner.host !== os.hostname()) return owner; // cannot check another machine's pids: assume alive
  if (owner.pid === process.pid) return owner;
  if (!owner.startTime) {
    try {
      process.kill(owner.pid, 0);
      return owner;
    } catch {
      return undefined;
    }
  }
  return ChildRegistry.isAlive({ pid: owner.pid, startTime: owner.startTime }) ? owner : undefined;
}

export interface JobLock {
  release(): void;
}

export function acquireJobLock(workDir: string): JobLock {
  mkdirSync(workDir, { recursive: true });
  const file = path.join(workDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, startTime: ownStartTime(), host: os.hostname(), since: new Date().toISOString() };
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      return {
        release: () => {
          if (lockOwner(workDir)?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = lockOwner(workDir);
      if (owner && owner.pid !== process.pid) {
        throw new UserError(
          `${workDir}: another chunked-av1 run (pid ${owner.pid} on ${owner.host}, since ${owner.since}) is using this work directory`,
          workDir,
        );
      }
      rmSync(file, { force: true }); // stale: its run was killed
    }
  }
  throw new UserError(`${workDir}: could not lock the work directory`, workDir);
}

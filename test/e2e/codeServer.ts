/**
 * Starts code-server 4.100.3 (VS Code 1.100.3's server and web client, installed by
 * scripts/setup-code-server.sh) on a free local port, and stops it with its whole process group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR ?? path.join(os.homedir(), '.cache/chunked-av1/code-server-4.100.3');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules/code-server/out/node/entry.js');

export interface CodeServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  workspace: string;
  /** Folder for user data, extensions and the log. */
  stateDir: string;
  trusted: boolean;
  env?: Record<string, string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!existsSync(CODE_SERVER_ENTRY))
    throw new Error(`code-server is not installed at ${CODE_SERVER_DIR}; run scripts/setup-code-server.sh`);
  const port = await freePort();
  mkdirSync(options.stateDir, { recursive: true });
  const log = openSync(path.join(options.stateDir, 'code-server.log'), 'a');
  const args = [
    CODE_SERVER_ENTRY,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    path.join(options.stateDir, 'user-data'),
    '--extensions-dir',
    path.join(options.stateDir, 'extensions'),
  ];
  if (!options.trusted) {
    // Untrusted workspace: the workspace's own settings for restricted keys are not applied.
  } else {
    args.push('--disable-workspace-trust');
  }
  args.push(options.workspace);
  const child: ChildProcess = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...options.env },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${options.stateDir}/code-server.log`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port,
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

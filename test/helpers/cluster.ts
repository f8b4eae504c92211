import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ServerCalls } from './server.js';

type LogEntry = { msg?: string; [field: string]: unknown };

const serveJs = fileURLToPath(new URL('../../dist/server/serve.js', import.meta.url));

/** One key for every node of a test cluster: the instance secrets are sealed with it in the shared database. */
export const newSecretKey = () => randomBytes(32).toString('base64');

/**
 * One server of a cluster, as production runs it: `node dist/server/serve.js` in its own process, with its
 * own data folder and port, on a PostgreSQL database it shares with the other nodes (`npm run build` first).
 */
export class ClusterNode extends ServerCalls {
  private constructor(
    readonly url: string,
    readonly dataDir: string,
    private readonly child: ChildProcess,
    /** The node's log lines so far, parsed. */
    readonly log: LogEntry[],
  ) {
    super();
  }

  /** Starts a node and resolves once it listens; `env` adds to (or overrides) what every node gets. */
  static async start(databaseUrl: string, secretKey: string, env: Record<string, string> = {}): Promise<ClusterNode> {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-node-'));
    const child = spawn(process.execPath, [serveJs], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: databaseUrl,
        NOVA_SECRET_KEY: secretKey,
        NOVA_DATA_DIR: dataDir,
        NOVA_SECRET_STORE: 'file',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const log: LogEntry[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      // The log is read to the end (an unread pipe would block the node once full); its 'server listening' line names the URL.
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const entry = JSON.parse(line) as LogEntry;
          log.push(entry);
          if (entry.msg === 'server listening' && typeof entry.url === 'string') resolve(entry.url);
        } catch {
          /* not a log line */
        }
      });
      child.once('exit', (code) => reject(new Error(`the node exited (${code}) before listening: ${stderr.trim()}`)));
    });
    return new ClusterNode(url, dataDir, child, log);
  }

  /**
   * Stops the node as an operator would (SIGTERM: it drains, then exits), or as a power cut would (SIGKILL:
   * nothing drains), and removes its data folder.
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill(signal);
      await exited;
    }
    await fs.rm(this.dataDir, { recursive: true, force: true });
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ServerCalls, TestServer } from './server.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The same test server, in a child process: for test files whose globals are not Node's. Under jsdom
 * (the console's component tests) `Uint8Array`, `TextEncoder` and friends come from the DOM, and the
 * server's own code (jose signing tokens, for one) refuses them; in its own process it runs as in production.
 */
export class ServerProcess extends ServerCalls {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    super();
  }

  /** `env`: the server's environment variables (NOVA_…), as `TestServer.start({ env })` takes them. */
  static async start(env: Record<string, string> = {}): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      cwd: here,
      env: { ...process.env, NOVA_TEST_SERVER_ENV: JSON.stringify(env) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const [first] = (await Promise.race([once(lines, 'line'), once(child, 'exit')])) as [string | number | null];
    if (typeof first !== 'string' || !first.startsWith('http')) throw new Error(`the test server process did not start (${String(first)})`);
    return new ServerProcess(first, child);
  }

  /** Stops the server (its data and, on PostgreSQL, its database go with it) and waits for the process to end. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin!.end();
    await exited;
  }
}

// Run as the child: start, say where, and stop when the parent closes stdin (or dies).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await TestServer.start({ env: JSON.parse(process.env.NOVA_TEST_SERVER_ENV ?? '{}') });
  process.stdout.write(`${server.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
}

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths.js';
import { createPostgresDatabase, onPostgres } from '../../test/helpers/database.js';
import { verifySignature, WebhookReceiver, eventually } from './test-receiver.js';

const SERVE = path.join(PROJECT_ROOT, 'dist', 'server', 'serve.js');

type Proc = { child: ChildProcess; url: string; exited: Promise<number | null> };

/** `node dist/server/serve.js` as a real process (built by `npm test` before vitest runs); resolves once it listens. */
async function startServe(env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, [SERVE], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    void exited.then((code) => reject(new Error(`serve.js exited (${code}) before listening: ${stderr}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'server listening' && entry.url) resolve(entry.url);
      } catch {
        /* not a log line */
      }
    });
  });
  return { child, url, exited };
}

async function call(base: string, method: string, urlPath: string, body?: unknown, token?: string) {
  const res = await fetch(base + urlPath, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the webhook outbox across a crash', () => {
  it('delivers what was in flight when the server was killed with SIGKILL, once it is restarted', { timeout: 90_000 }, async () => {
    await fs.access(SERVE); // built by `npm test` (or `node scripts/build.mjs`)
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-crash-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      NOVA_DATA_DIR: dataDir,
      NOVA_SECRET_STORE: 'file',
      // Long enough that the first server cannot time the hanging attempt out before it is killed.
      NOVA_WEBHOOK_TIMEOUT_MS: '5000',
      NOVA_WEBHOOK_RETRY_BASE_MS: '100',
      NOVA_WEBHOOK_POLL_MS: '100',
      NOVA_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', // the receiver listens on loopback
    };
    if (onPostgres) {
      const database = await createPostgresDatabase();
      cleanups.push(() => database.drop());
      env.DATABASE_URL = database.url;
    }
    // The first attempt hangs (the server dies holding it); later ones succeed.
    const hooks = await WebhookReceiver.start((_req, n) => (n === 1 ? 'hang' : { status: 200 }));
    cleanups.push(() => hooks.close());

    const first = await startServe(env);
    cleanups.push(async () => first.child.kill('SIGKILL'));
    const account = await call(first.url, 'POST', '/nc-api/v1/accounts', {
      name: 'Crash Co',
      email: 'crash@example.com',
      password: 'MyPass123!',
    });
    const token = account.body.token as string;
    const bound = await call(first.url, 'POST', '/nc-api/v1/account/bind-domain', { website_url: 'https://crash.example' }, token);
    const webhook = await call(first.url, 'POST', '/nc-api/v1/webhooks', { url: hooks.url, events: ['conversation_created'] }, token);
    expect(webhook.status).toBe(201);
    const conversation = await call(first.url, 'POST', `/api/v1/widget/conversations?website_token=${bound.body.website_token}`, {
      contact: { name: 'John', email: 'john@example.com' },
      message: 'I need help with my order',
    });
    expect(conversation.status).toBe(201);

    const [inFlight] = await hooks.waitFor((r) => r.length >= 1);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed, not exited

    const second = await startServe(env);
    cleanups.push(async () => second.child.kill('SIGKILL'));
    const [, redelivered] = await hooks.waitFor((r) => r.length >= 2);
    expect(redelivered!.headers['x-nova-delivery']).toBe(inFlight!.headers['x-nova-delivery']);
    expect(redelivered!.rawBody).toBe(inFlight!.rawBody);
    // The master key outlived the process: the restarted server signs with the same secret.
    expect(verifySignature(webhook.body.secret, redelivered!)).toBe(true);
    expect(redelivered!.body).toMatchObject({
      event: 'conversation_created',
      conversation_id: conversation.body.id,
      contact: { name: 'John', email: 'john@example.com' },
    });

    const log = await eventually(
      async () => (await call(second.url, 'GET', `/nc-api/v1/webhooks/${webhook.body.id}/deliveries`, undefined, token)).body,
      (body) => body.data[0]?.status === 'succeeded',
    );
    expect(log.meta.total).toBe(1);
    // The attempt cut off by the crash counts; only the one that completed could be logged.
    expect(log.data[0]).toMatchObject({ attempt_count: 2, last_status_code: 200 });
    expect(log.data[0].attempts).toEqual([expect.objectContaining({ attempt: 2, status_code: 200, error: null })]);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(hooks.requests).toHaveLength(2);
  });
});

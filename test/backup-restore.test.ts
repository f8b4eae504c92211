import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyBackupFile } from '../server/backups/archive.js';
import { connectDatabase } from '../server/db/knex.js';
import { BackupFileError } from '../server/backups/format.js';
import { startServer, type RunningServer } from '../server/index.js';
import { accountWithWebsite, visitorConversation } from '../server/conversations/test-fixtures.js';
import { eventually, verifySignature, WebhookReceiver } from '../server/webhooks/test-receiver.js';
import { onPostgres } from './helpers/database.js';
import { ServerCalls, signUp, TestServer } from './helpers/server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'dist', 'server', 'backup-cli.js');
const SERVE = path.join(root, 'dist', 'server', 'serve.js');
const PASSPHRASE = 'a long passphrase nobody guesses';
const INVOICE = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-backup-test-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** `npm run backup` / `npm run restore` as a user runs them: the built CLI, in its own process. */
function cli(args: string[], env: Record<string, string | undefined>, input?: string) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH, NOVA_SECRET_STORE: 'file', LOG_LEVEL: 'silent', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code, out }));
  });
}

const sizeOf = (file: string) => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0; // renamed or removed meanwhile
  }
};

class Restored extends ServerCalls {
  constructor(readonly server: RunningServer) {
    super();
  }
  get url() {
    return this.server.url;
  }
}

const ITEMS = [
  { title: 'Shipping times', content: 'Orders are delivered within 3 to 5 business days after dispatch.' },
  { title: 'Refund policy', content: 'We refund unused products returned within 30 days of purchase.' },
  { title: 'Reset your password', content: 'Use the Forgot password link on the sign-in page to choose a new one.' },
];
/** Shares no word with the shipping item: only the semantic index finds it. */
const SEMANTIC_QUERY = 'how long until my parcel arrives';
const search = (t: ServerCalls, token: string) =>
  t.get(`/nc-api/v1/knowledge_base/search?q=${encodeURIComponent(SEMANTIC_QUERY)}&k=3`, token);

describe.skipIf(onPostgres)('backup and restore on SQLite', () => {
  it('restores everything into a fresh folder on another port: accounts, tokens, KB with its index, conversations with attachments, webhook secrets', async () => {
    const hooks = await WebhookReceiver.start();
    cleanups.push(() => hooks.close());
    const a = await TestServer.start({ webhookAllowedNetworks: ['127.0.0.0/8'] });
    cleanups.push(() => a.close());
    const owner = await accountWithWebsite(a);
    const teammate = await a.post(
      '/nc-api/v1/agents',
      { type: 'human', name: 'Mate', email: 'mate-restore@example.com', password: 'MatePass1!' },
      owner.token,
    );
    expect(teammate.status).toBe(201);
    for (const item of ITEMS) expect((await a.post('/nc-api/v1/knowledge_base/items', item, owner.token)).status).toBe(201);
    const before = await search(a, owner.token);
    expect(before.body.data[0].item.title).toBe('Shipping times');
    const conversation = await visitorConversation(a, owner.websiteToken);
    const form = new FormData();
    form.append('content', 'The invoice you asked for');
    form.append('attachments[]', new Blob([INVOICE], { type: 'application/pdf' }), 'invoice.pdf');
    const withFile = await a.request('POST', `/nc-api/v1/conversations/${conversation.id}/messages`, undefined, {
      rawBody: form,
      token: owner.token,
    });
    expect(withFile.status, withFile.text).toBe(201);
    const attachmentUrl = withFile.body.attachments[0].url as string;
    const webhook = await a.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['conversation_created'] }, owner.token);
    expect(webhook.status).toBe(201);

    // Written while the server runs, encrypted.
    const out = path.join(tempDir(), 'nova.ncbackup');
    const backup = await cli(['backup', '--out', out], { NOVA_DATA_DIR: a.dataDir, NOVA_BACKUP_PASSPHRASE: PASSPHRASE });
    expect(backup.out).toContain(`Backup written: ${out}`);
    expect(backup.code).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect((await verifyBackupFile(out, PASSPHRASE)).encryption).not.toBeNull();

    // The passphrase is read from the input when it is not in the environment; a wrong one writes nothing.
    const fresh = path.join(tempDir(), 'restored');
    const wrong = await cli(['restore', out], { NOVA_DATA_DIR: fresh }, 'not the passphrase\n');
    expect(wrong).toMatchObject({ code: 1, out: expect.stringContaining('Wrong passphrase') });
    expect(fs.existsSync(fresh)).toBe(false);
    const restored = await cli(['restore', out], { NOVA_DATA_DIR: fresh }, `${PASSPHRASE}\n`);
    expect(restored.out).toContain(`into ${fresh}`);
    expect(restored.code).toBe(0);
    // Into a folder that now holds an instance: refused without --force.
    const again = await cli(['restore', out], { NOVA_DATA_DIR: fresh, NOVA_BACKUP_PASSPHRASE: PASSPHRASE });
    expect(again).toMatchObject({ code: 1, out: expect.stringContaining('not empty') });

    const b = new Restored(
      await startServer({
        env: {},
        port: 0,
        host: '127.0.0.1',
        dataDir: fresh,
        secretStore: 'file',
        logLevel: 'silent',
        backupIntervalHours: 0,
        webhookAllowedNetworks: ['127.0.0.0/8'],
      }),
    );
    cleanups.push(() => b.server.close());
    expect(b.server.port).not.toBe(a.server.port);

    // Tokens issued before the backup, and passwords.
    expect((await b.get('/nc-api/v1/account/status', owner.token)).status).toBe(200);
    const login = await b.post('/nc-api/v1/auth/login', { email: 'mate-restore@example.com', password: 'MatePass1!' });
    expect(login.status).toBe(200);
    // The KB and its semantic index, right after the start: the same answer, with the same score.
    const after = await search(b, owner.token);
    expect(after.body.data[0].item.title).toBe('Shipping times');
    expect(after.body.data.map((hit: { item: { id: number }; score: number }) => [hit.item.id, hit.score])).toEqual(
      before.body.data.map((hit: { item: { id: number }; score: number }) => [hit.item.id, hit.score]),
    );
    // Conversations with their messages.
    const messages = await b.get(`/nc-api/v1/conversations/${conversation.id}/messages`, owner.token);
    expect(messages.status).toBe(200);
    expect(JSON.stringify(messages.body)).toContain('I need help with my order');
    // Their attachments, byte for byte.
    const file = await fetch(new URL(new URL(attachmentUrl, a.url).pathname, b.url), {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe(INVOICE);
    // The webhook's stored secret decrypts with the restored master key: a delivery signed with the old secret.
    const sent = hooks.requests.length;
    const later = await visitorConversation(b, owner.websiteToken, { message: 'After the restore' });
    const [delivery] = (await hooks.waitFor((r) => r.length > sent)).slice(sent);
    expect(delivery!.body).toMatchObject({ event: 'conversation_created', conversation_id: later.id });
    expect(verifySignature(webhook.body.secret, delivery!)).toBe(true);
  });

  it('refuses a damaged backup before writing anything, and restores over an instance only with --force', async () => {
    const a = await TestServer.start();
    cleanups.push(() => a.close());
    const { token } = await signUp(a);
    const created = await a.post('/nc-api/v1/instance/backups', {}, token);
    const file = path.join(a.dataDir, 'backups', created.body.filename);

    const damaged = path.join(tempDir(), 'damaged.ncbackup');
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length * 0.6)]! ^= 0x10;
    fs.writeFileSync(damaged, bytes);
    const target = path.join(tempDir(), 'target');
    const refused = await cli(['restore', damaged], { NOVA_DATA_DIR: target });
    expect(refused).toMatchObject({ code: 1, out: expect.stringContaining('damaged') });
    expect(fs.existsSync(target)).toBe(false);

    const notBackup = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(notBackup, 'hello');
    expect(await cli(['restore', notBackup], { NOVA_DATA_DIR: target })).toMatchObject({
      code: 1,
      out: expect.stringContaining('not a Nova Chat backup'),
    });
    expect(await cli(['restore'], { NOVA_DATA_DIR: target })).toMatchObject({ code: 2, out: expect.stringContaining('Usage') });

    // Over another instance: only with --force, which replaces its database and secrets.
    const other = await TestServer.start();
    cleanups.push(() => other.close());
    await other.server.close();
    expect(await cli(['restore', file], { NOVA_DATA_DIR: other.dataDir })).toMatchObject({
      code: 1,
      out: expect.stringContaining('--force'),
    });
    expect((await cli(['restore', file, '--force'], { NOVA_DATA_DIR: other.dataDir })).code).toBe(0);
    await other.restart();
    expect((await other.get('/nc-api/v1/account/status', token)).status).toBe(200);
  });

  it('leaves no complete-looking file when the server is killed (-9) in the middle of a backup', async () => {
    const dataDir = tempDir();
    const env = {
      PATH: process.env.PATH,
      NOVA_DATA_DIR: dataDir,
      PORT: '0',
      NOVA_SECRET_STORE: 'file',
      NOVA_BACKUP_INTERVAL_HOURS: '0',
      LOG_LEVEL: 'info',
    };
    const startProcess = async () => {
      const child = spawn(process.execPath, [SERVE], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      cleanups.push(() => child.kill('SIGKILL'));
      let buffered = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const match = /"url":"(http:[^"]+)"/.exec(buffered);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`server exited (${code})`)));
      });
      const calls = new (class extends ServerCalls {
        get url() {
          return url;
        }
      })();
      return { child, calls };
    };

    const first = await startProcess();
    const { token } = await signUp(first.calls);
    // ~60 MB the snapshot, gzip and file must carry: a backup that takes a moment.
    const db = connectDatabase({ dataDir });
    for (let batch = 0; batch < 20; batch += 1) {
      const rows = Array.from({ length: 20 }, (_, i) => ({
        key: `filler-${batch}-${i}`,
        value: randomBytes(150_000).toString('base64'),
        updated_at: new Date().toISOString(),
      }));
      await db('instance_settings').insert(rows);
    }
    await db.destroy();

    const backupsDir = path.join(dataDir, 'backups');
    const request = first.calls.post('/nc-api/v1/instance/backups', {}, token).catch(() => 'killed');
    const partial = await eventually(
      async () => (fs.existsSync(backupsDir) ? fs.readdirSync(backupsDir) : []),
      (names) =>
        names.some((n) => n.endsWith('.ncbackup') || (n.endsWith('.ncbackup.partial') && sizeOf(path.join(backupsDir, n)) > 1_000_000)),
      5,
    );
    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await exited;
    expect(await request).toBe('killed');
    expect(partial.filter((n) => n.endsWith('.ncbackup'))).toEqual([]); // caught mid-way
    const left = fs.readdirSync(backupsDir);
    expect(left.filter((n) => n.endsWith('.ncbackup'))).toEqual([]);
    const cut = left.find((n) => n.endsWith('.partial'))!;
    await expect(verifyBackupFile(path.join(backupsDir, cut), undefined)).rejects.toBeInstanceOf(BackupFileError);

    // The next start clears what the kill left, and lists no backup that was never finished.
    const second = await startProcess();
    expect(fs.readdirSync(backupsDir)).toEqual([]);
    const list = await second.calls.get('/nc-api/v1/instance/backups', token);
    expect(list.body.data).toEqual([]);
    const written = await second.calls.post('/nc-api/v1/instance/backups', {}, token);
    expect(written.status).toBe(201);
    expect((await verifyBackupFile(path.join(backupsDir, written.body.filename), undefined)).database).toBe('sqlite');
    const stopped = once(second.child, 'exit');
    second.child.kill('SIGTERM');
    await stopped;
  });
});

describe.runIf(onPostgres)('backup and restore on PostgreSQL', () => {
  it('exports and imports the instance secrets, and says to use pg_dump for the database', async () => {
    const a = await TestServer.start();
    cleanups.push(() => a.close());
    const { token } = await signUp(a);
    const out = path.join(tempDir(), 'secrets.ncbackup');
    const databaseUrl = a.server.config.databaseUrl!;
    const backup = await cli(['backup', '--out', out], { NOVA_DATA_DIR: a.dataDir, DATABASE_URL: databaseUrl });
    expect(backup.code).toBe(0);
    expect(backup.out).toContain('pg_dump');
    expect((await verifyBackupFile(out, undefined)).database).toBe('none');

    // A new server of the same database, on a new machine: the secrets restored, its tokens still valid.
    const fresh = path.join(tempDir(), 'node');
    const restored = await cli(['restore', out], { NOVA_DATA_DIR: fresh });
    expect(restored.code).toBe(0);
    expect(restored.out).toContain('pg_dump');
    const b = new Restored(
      await startServer({
        env: {},
        port: 0,
        host: '127.0.0.1',
        dataDir: fresh,
        databaseUrl,
        secretStore: 'file',
        logLevel: 'silent',
        backupIntervalHours: 0,
      }),
    );
    cleanups.push(() => b.server.close());
    expect((await b.get('/nc-api/v1/account/status', token)).status).toBe(200);
  });
});

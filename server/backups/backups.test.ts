import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPostgres } from '../../test/helpers/database.js';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { apiKey } from '../conversations/test-fixtures.js';
import { eventually } from '../webhooks/test-receiver.js';
import { migrationSource } from '../db/migrations/index.js';
import { verifyBackupFile } from './archive.js';
import { BackupFileError } from './format.js';
import { serversPerTest } from '../../test/helpers/servers-per-test.js';

const server = serversPerTest();

const BACKUPS = '/nc-api/v1/instance/backups';
const backupsDir = (t: TestServer) => path.join(t.dataDir, 'backups');
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof BackupFileError) return err.reason;
    throw err;
  }
  return 'opened';
}

describe('instance backups through the API', () => {
  it('lets the instance owner write, list, download and delete backups, and nobody else', async () => {
    const t = await server();
    const owner = await signUp(t);
    const other = await signUp(t);
    const key = await apiKey(t, owner.token, ['read', 'write']);

    const created = await t.post(BACKUPS, {}, owner.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      filename: expect.stringMatching(/^nova-chat-.*-manual\.ncbackup$/),
      size: expect.any(Number),
      created_at: expect.any(String),
      kind: 'manual',
      status: 'ok',
      encrypted: false,
      includes_database: !onPostgres,
    });
    const file = path.join(backupsDir(t), created.body.filename);
    expect(fs.statSync(file).size).toBe(created.body.size);
    expect(modeOf(file)).toBe(0o600);
    expect(fs.readdirSync(backupsDir(t))).toEqual([created.body.filename]); // no snapshot or partial file left

    const list = await t.get(BACKUPS, owner.token);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([created.body]);
    expect(list.body.meta).toMatchObject({ total: 1, last: created.body, last_ok: created.body, warning: null, keep: 7, encrypted: false });

    const download = await fetch(`${t.url}${BACKUPS}/${created.body.id}/download`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${created.body.filename}"`);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.equals(fs.readFileSync(file))).toBe(true);
    const header = await verifyBackupFile(file, undefined);
    expect(header).toMatchObject({
      kind: 'manual',
      database: onPostgres ? 'none' : 'sqlite',
      encryption: null,
      schema: (await migrationSource.getMigrations([])).at(-1),
    });

    // Another account's owner and API keys: refused, whatever the call.
    for (const token of [other.token, key]) {
      const expected = token === key ? 'api_key_not_allowed' : 'instance_admin_required';
      expect((await t.post(BACKUPS, {}, token)).body.error.code).toBe(expected);
      expect((await t.get(BACKUPS, token)).body.error.code).toBe(expected);
      expect((await t.get(`${BACKUPS}/${created.body.id}/download`, token)).status).toBe(403);
      expect((await t.del(`${BACKUPS}/${created.body.id}`, token)).status).toBe(403);
    }
    expect((await t.get(BACKUPS)).status).toBe(401);
    expect((await t.get(`${BACKUPS}/999999/download`, owner.token)).status).toBe(404);
    expect((await t.get(`${BACKUPS}/abc/download`, owner.token)).status).toBe(404);
    expect((await t.del(`${BACKUPS}/999999`, owner.token)).body.error.code).toBe('not_found');

    expect((await t.del(`${BACKUPS}/${created.body.id}`, owner.token)).status).toBe(204);
    expect(fs.existsSync(file)).toBe(false);
    const after = await t.get(BACKUPS, owner.token);
    expect(after.body.data).toEqual([]);
    expect(after.body.meta.warning).toBe('none');
  });

  it('after a restart lists a backup file copied into the folder; a file that is not a backup stays unlisted and untouched', async () => {
    const t = await server();
    const owner = await signUp(t);
    const created = (await t.post(BACKUPS, {}, owner.token)).body;
    const copied = 'nova-chat-from-the-old-box.ncbackup';
    fs.copyFileSync(path.join(backupsDir(t), created.filename), path.join(backupsDir(t), copied));
    fs.writeFileSync(path.join(backupsDir(t), 'notes.ncbackup'), 'not a backup');
    await t.server.close();
    await t.restartOn({});

    const listed = (await t.get(BACKUPS, owner.token)).body.data as { filename: string }[];
    expect(listed.map((b) => b.filename).sort()).toEqual([created.filename, copied].sort());
    expect(listed.find((b) => b.filename === copied)).toMatchObject({
      kind: 'manual',
      status: 'ok',
      size: created.size,
      created_at: created.created_at,
    });
    expect(fs.readFileSync(path.join(backupsDir(t), 'notes.ncbackup'), 'utf8')).toBe('not a backup');
    // Listed once: the next start finds it in the table.
    await t.server.close();
    await t.restartOn({});
    expect((await t.get(BACKUPS, owner.token)).body.data).toHaveLength(2);
  });

  it('encrypts with NOVA_BACKUP_PASSPHRASE: the file opens with it only, and a changed or cut byte is refused', async () => {
    const t = await server({ backupPassphrase: 'correct horse battery staple' });
    const owner = await signUp(t);
    // One backup at a time: a second request while the first is being written is a 409.
    const [first, second] = await Promise.all([t.post(BACKUPS, {}, owner.token), t.post(BACKUPS, {}, owner.token)]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const created = first.status === 201 ? first : second;
    expect((first.status === 409 ? first : second).body.error.code).toBe('backup_running');
    expect(created.body.encrypted).toBe(true);

    const file = path.join(backupsDir(t), created.body.filename);
    expect(await refusal(verifyBackupFile(file, undefined))).toBe('passphrase_required');
    expect(await refusal(verifyBackupFile(file, 'correct horse battery stapler'))).toBe('wrong_passphrase');
    const header = await verifyBackupFile(file, 'correct horse battery staple');
    expect(header.encryption).toMatchObject({ cipher: 'aes-256-gcm', kdf: 'scrypt' });

    const bytes = fs.readFileSync(file);
    const changed = Buffer.from(bytes);
    changed[Math.floor(bytes.length / 2)]! ^= 0x01;
    const changedFile = `${file}.changed`;
    fs.writeFileSync(changedFile, changed);
    expect(await refusal(verifyBackupFile(changedFile, 'correct horse battery staple'))).toBe('damaged');
    fs.writeFileSync(changedFile, bytes.subarray(0, bytes.length - 100));
    expect(await refusal(verifyBackupFile(changedFile, 'correct horse battery staple'))).toBe('damaged');
  });

  it('refuses a changed byte in an unencrypted backup too', async () => {
    const t = await server();
    const owner = await signUp(t);
    const created = await t.post(BACKUPS, {}, owner.token);
    const file = path.join(backupsDir(t), created.body.filename);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 40]! ^= 0x80;
    fs.writeFileSync(file, bytes);
    expect(await refusal(verifyBackupFile(file, undefined))).toBe('damaged');
  });

  it('records a failed backup with its error, so the console can warn, until one succeeds again', async () => {
    const t = await server();
    const owner = await signUp(t);
    // The backups folder cannot be made: a file is in its place.
    fs.writeFileSync(backupsDir(t), 'not a folder');
    const failed = await t.post(BACKUPS, {}, owner.token);
    expect(failed.status).toBe(500);
    expect(failed.body.error.code).toBe('backup_failed');
    expect(failed.body.error.message).toMatch(/backups/);
    const list = await t.get(BACKUPS, owner.token);
    expect(list.body.meta.warning).toBe('failed');
    expect(list.body.meta.last).toMatchObject({ status: 'failed', size: null, error: expect.stringMatching(/backups/) });
    expect(list.body.meta.last_ok).toBeNull();
    expect(list.body.data).toEqual([list.body.meta.last]);

    fs.rmSync(backupsDir(t));
    expect((await t.post(BACKUPS, {}, owner.token)).status).toBe(201);
    expect((await t.get(BACKUPS, owner.token)).body.meta.warning).toBeNull();
  });

  it('warns when the last backup is older than two intervals', async () => {
    let clock = new Date('2026-12-01T08:00:00Z');
    const t = await server({ now: () => clock, backupIntervalHours: 24 });
    const owner = await signUp(t);
    expect((await t.post(BACKUPS, {}, owner.token)).status).toBe(201);
    clock = new Date('2026-12-03T07:00:00Z');
    expect((await t.get(BACKUPS, owner.token)).body.meta).toMatchObject({ warning: null, interval_hours: 24 });
    clock = new Date('2026-12-03T09:00:00Z');
    expect((await t.get(BACKUPS, owner.token)).body.meta.warning).toBe('stale');
  });

  it('writes scheduled backups every interval and keeps the newest NOVA_BACKUP_KEEP', async () => {
    // An interval of about a second, so the schedule turns a few times during the test.
    const t = await server({ backupIntervalHours: 0.0003, backupKeep: 2 });
    const owner = await signUp(t);
    const rows = await eventually(
      async () => (await t.deps.db('backups').select('id', 'kind', 'created_at')) as { id: number; kind: string }[],
      (found) => found.length > 0 && Math.max(...found.map((r) => r.id)) >= 4,
      100,
    );
    expect(rows.every((row) => row.kind === 'scheduled')).toBe(true);
    await t.deps.backups.stop(); // the schedule holds still while files and list are compared
    const list = (await t.get(BACKUPS, owner.token)).body;
    const files = fs.readdirSync(backupsDir(t)).filter((name) => name.endsWith('.ncbackup'));
    expect(list.data).toHaveLength(2);
    expect(files.sort()).toEqual(list.data.map((b: { filename: string }) => b.filename).sort());
    expect(list.data.every((b: { kind: string; status: string }) => b.kind === 'scheduled' && b.status === 'ok')).toBe(true);
  });
});

describe.runIf(onPostgres)('the backup schedule on several servers of one PostgreSQL database', () => {
  it('writes each scheduled backup on one server only', async () => {
    const interval = 0.0003;
    const first = await server({ backupIntervalHours: interval, backupKeep: 100 });
    const second = await TestServer.startBeside(first, { backupIntervalHours: interval, backupKeep: 100 });
    try {
      const rows = await eventually(
        async () => (await first.deps.db('backups').orderBy('created_at').select('created_at')) as { created_at: string }[],
        (found) => found.length >= 5,
        100,
      );
      // Both servers' timers fire every interval; were both to write, two backups would fall within one interval.
      const times = rows.map((row) => Date.parse(row.created_at));
      for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(interval * 3_600_000);
    } finally {
      await second.close();
    }
  });
});

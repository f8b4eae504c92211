import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../../test/helpers/database.js';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { decryptSecret } from '../webhooks/crypto.js';
import { SECRETS_FILE } from './file.js';

const KEY = 'correct horse battery staple, twice over!';
const OTHER_KEY = 'a different passphrase of the same length!';

const started: TestServer[] = [];
afterEach(async () => {
  // The first server drops the database: the others close before it.
  for (const t of started.splice(0).reverse()) await t.close().catch(() => undefined);
});
async function start(options: Parameters<typeof TestServer.start>[0]) {
  const t = await TestServer.start(options);
  started.push(t);
  return t;
}

describe('instance secrets sealed with NOVA_SECRET_KEY', () => {
  it('live in the database, not on this machine, and keep tokens valid across a restart', async () => {
    const t = await start({ secretKey: KEY });
    expect((await t.get('/health')).body.secret_store).toBe('database');
    const { token } = await signUp(t);
    await t.restart();
    expect((await t.get('/nc-api/v1/account/status', token)).status).toBe(200);
    expect(fs.existsSync(path.join(t.dataDir, SECRETS_FILE))).toBe(false);
    const rows: { name: string; value: string }[] = await t.deps.db('instance_secrets').select('name', 'value');
    expect(rows.map((r) => r.name).sort()).toEqual(['jwt-secret', 'kek-salt', 'webhook-master-key']);
    // Sealed: neither the JWT secret nor the master key is readable from a copy of the database.
    for (const row of rows.filter((r) => r.name !== 'kek-salt')) expect(row.value).toMatch(/^v1\./);
  });

  it('carry over the secrets a server kept on its machine, so its tokens and webhook secrets stay valid', async () => {
    const t = await start({});
    expect((await t.get('/health')).body.secret_store).toBe('file');
    const { token } = await signUp(t);
    const created = await t.post('/nc-api/v1/webhooks', { url: 'https://hooks.example.com/nova', events: ['message_created'] }, token);
    expect(created.status).toBe(201);
    await t.server.close();
    await t.restartOn({ secretKey: KEY });
    expect((await t.get('/health')).body.secret_store).toBe('database');
    expect((await t.get('/nc-api/v1/account/status', token)).status).toBe(200);
    // The webhook's signing secret, sealed under the master key the server had on its machine, still opens.
    const row: { account_id: number; secret_encrypted: string } = await t.deps.db('webhooks').where({ id: created.body.id }).first();
    expect(decryptSecret(t.deps.webhooks.masterKey, row.account_id, row.secret_encrypted)).toBe(created.body.secret);
  });

  it('refuse a server with another key, or with none, naming the variable', async () => {
    const t = await start({ secretKey: KEY });
    await t.server.close();
    await expect(t.restartOn({ secretKey: OTHER_KEY })).rejects.toThrow(/sealed with another NOVA_SECRET_KEY/);
    await expect(t.restartOn({ secretKey: undefined })).rejects.toThrow(/set the same NOVA_SECRET_KEY/);
    await t.restartOn({ secretKey: KEY });
    expect((await t.get('/health')).status).toBe(200);
  });

  it('refuse a key shorter than 32 characters when the server starts', async () => {
    await expect(TestServer.start({ env: { NOVA_SECRET_KEY: 'short' } })).rejects.toThrow(
      /NOVA_SECRET_KEY: must be at least 32 characters/,
    );
  });

  it.runIf(onPostgres)('are shared by two servers on one PostgreSQL: a token from one works on the other', async () => {
    const a = await start({ secretKey: KEY });
    const b = await TestServer.startBeside(a);
    started.push(b);
    const fromA = await signUp(a);
    expect((await b.get('/nc-api/v1/account/status', fromA.token)).status).toBe(200);
    const fromB = await signUp(b);
    expect((await a.get('/nc-api/v1/account/status', fromB.token)).status).toBe(200);
  });
});

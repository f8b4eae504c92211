import { afterEach, expect, test } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close().catch(() => undefined); // the database may have been closed under it on purpose
  t = undefined;
});

test('/health/ready answers 200 once the database answers and the embedder has loaded its model', async () => {
  t = await TestServer.start();
  // The first call starts loading the model; a load balancer keeps asking until it is ready.
  await expect.poll(async () => (await t!.get('/health/ready')).status, { timeout: 60_000, interval: 500 }).toBe(200);
  const ready = await t.get('/health/ready');
  expect(ready.body).toEqual({ status: 'ready', database: 'ok', embedder: 'ok' });
  expect((await t.get('/health')).status).toBe(200);
}, 90_000);

test('/health/ready answers 503 not_ready naming the database when it stops answering', async () => {
  t = await TestServer.start();
  await expect.poll(async () => (await t!.get('/health/ready')).status, { timeout: 60_000, interval: 500 }).toBe(200);
  await t.deps.db.destroy();
  const res = await t.get('/health/ready');
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  expect(res.body.error).toMatchObject({ code: 'not_ready', details: { database: 'unavailable', embedder: 'ok' } });
  expect(res.body.error.message).toMatch(/the database is unavailable/);
}, 90_000);

import { afterEach, expect, test } from 'vitest';
import { TestServer } from '../test/helpers/server.js';

let running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((t) => t.close()));
  running = [];
});

test('a start that fails (port taken) releases everything, so the same data folder starts cleanly afterwards', async () => {
  const first = await TestServer.start();
  running.push(first);
  const second = await TestServer.start();
  running.push(second);
  await second.server.close();

  // Same data folder, port held by the first server: the start must fail with the real cause…
  await expect(second.restartOn({ port: first.server.port })).rejects.toThrow(/EADDRINUSE/);
  // …and leave nothing holding the database: a start on a free port over the same data works.
  await second.restartOn({ port: 0 });
  const health = await second.get('/health');
  expect(health.status).toBe(200);
});

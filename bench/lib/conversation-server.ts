/**
 * The server under test for bench/conversations.bench.ts, in its own process so its RSS and CPU are
 * its own: a fresh SQLite data dir (or DATABASE_URL), abuse limits lifted, logs off. Prints
 * `{"url":…}` on stdout once listening; stops on SIGTERM.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../server/index.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-bench-conv-'));
const server = await startServer({
  env: { ...process.env, NOVA_DATA_DIR: dataDir },
  port: 0,
  host: '127.0.0.1',
  secretStore: 'file',
  logLevel: 'silent',
  widgetConversationsPerIp: 1_000_000,
  widgetMessagesPerMinute: 1_000_000,
});
process.stdout.write(JSON.stringify({ url: server.url, pid: process.pid }) + '\n');
process.once('SIGTERM', () => {
  server.close().finally(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});

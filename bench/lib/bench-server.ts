import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../server/index.js';

/** A real server for a benchmark: fresh data dir (or DATABASE_URL), loopback, logs off, abuse limits lifted, no scheduled backups. */
export async function startBenchServer(name: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `nova-bench-${name}-`));
  const server = await startServer({
    env: { ...process.env, NOVA_DATA_DIR: dataDir },
    port: 0,
    host: '127.0.0.1',
    secretStore: 'file',
    logLevel: 'silent',
    widgetConversationsPerIp: 1_000_000,
    widgetMessagesPerMinute: 1_000_000,
    // The load generator is one address: its 10 000 idle widget sockets would meet the per-address cap.
    realtimeMaxPerAddress: 1_000_000,
    // The first scheduled backup (a minute after start) would compress the database in the middle of a phase.
    backupIntervalHours: 0,
  });
  return { server, dataDir };
}

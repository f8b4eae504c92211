/**
 * The server under test for bench/conversations.bench.ts, in its own process so its RSS and CPU are
 * its own: a fresh SQLite data dir (or DATABASE_URL), abuse limits lifted, logs off. Prints
 * `{"url":…}` on stdout once listening, then on each SIGUSR2 one line with what its SQLite statements cost so
 * far (`{"sqlite":{"cpuMs":…,"wallMs":…,"commitCpuMs":…,"statements":…}}`); stops on SIGTERM.
 */
import fs from 'node:fs';
import { startBenchServer } from './bench-server.js';
import { timeSqliteStatements } from './statement-timer.js';

const sqliteSoFar = timeSqliteStatements();
const { server, dataDir } = await startBenchServer('conv');
process.stdout.write(JSON.stringify({ url: server.url, pid: process.pid }) + '\n');
process.on('SIGUSR2', () => process.stdout.write(JSON.stringify({ sqlite: sqliteSoFar() }) + '\n'));
process.once('SIGTERM', () => {
  server.close().finally(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});

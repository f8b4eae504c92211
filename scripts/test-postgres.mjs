// The second pass of `npm test`: the server's suites again, on a real PostgreSQL.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (!process.env.TEST_DATABASE_URL) {
  console.log('Postgres pass skipped: TEST_DATABASE_URL is not set (.ci/run sets it after installing PostgreSQL).');
  process.exit(0);
}
console.log('Postgres pass: running the server suites on', process.env.TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@'));
// test/foundation.test.ts holds the cross-route tenancy checks and the limit races, which must hold on PostgreSQL too;
// test/cluster.test.ts starts two server processes on one database (several servers on one PostgreSQL).
// vitest's own CLI on this node, not `npx vitest`: under `npx -p node@22 -c …` (.ci/run) a nested npx inherits that call.
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const result = spawnSync(process.execPath, [vitest, 'run', 'server/', 'test/foundation.test.ts', 'test/cluster.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, NOVA_TEST_DATABASE: 'postgres' },
});
process.exit(result.status ?? 1);

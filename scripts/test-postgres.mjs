// The second pass of `npm test`: the server's suites again, on a real PostgreSQL.
import { spawnSync } from 'node:child_process';

if (!process.env.TEST_DATABASE_URL) {
  console.log('Postgres pass skipped: TEST_DATABASE_URL is not set (.ci/run sets it after installing PostgreSQL).');
  process.exit(0);
}
console.log('Postgres pass: running the server suites on', process.env.TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@'));
// test/foundation.test.ts holds the cross-route tenancy checks and the limit races, which must hold on PostgreSQL too.
const result = spawnSync('npx', ['vitest', 'run', 'server/', 'test/foundation.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, NOVA_TEST_DATABASE: 'postgres' },
});
process.exit(result.status ?? 1);

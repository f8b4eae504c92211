import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresDatabase, createSqliteDatabase, onPostgres } from '../../test/helpers/database.js';
import { connectDatabase, migrate } from './knex.js';
import { dropExpiredLease, expiredLeaseNames, LeaderLease } from './leader-lease.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!onPostgres)('leader leases between servers on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  // Two pools, as two servers have.
  let first: Knex;
  let second: Knex;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    first = connectDatabase({ dataDir: '', databaseUrl: database.url });
    second = connectDatabase({ dataDir: '', databaseUrl: database.url });
    await migrate(first);
  });
  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
    await database?.drop();
  });

  test('one server holds a lease at a time; it keeps it by renewing, and hands it over when it releases it', async () => {
    const a = new LeaderLease(first, 'scan', 60_000);
    const b = new LeaderLease(second, 'scan', 60_000);
    expect(await a.tryHold()).toBe(true);
    expect(await b.tryHold()).toBe(false);
    expect(await a.tryHold()).toBe(true);
    let ran = 0;
    expect(await b.runIfHeld(async () => ++ran)).toBeUndefined();
    expect(await a.runIfHeld(async () => ++ran)).toBe(1);
    await a.release();
    expect(await b.tryHold()).toBe(true);
    expect(await a.tryHold()).toBe(false);
    // Another name is another lease.
    expect(await new LeaderLease(first, 'backups', 60_000).tryHold()).toBe(true);
  });

  test('a lease its holder stopped renewing (a crashed server) is taken over once it ran out', async () => {
    const crashed = new LeaderLease(first, 'reembed', 300);
    const survivor = new LeaderLease(second, 'reembed', 300);
    expect(await crashed.tryHold()).toBe(true);
    expect(await survivor.tryHold()).toBe(false);
    await pause(600);
    expect(await survivor.tryHold()).toBe(true);
    expect(await crashed.tryHold()).toBe(false);
  });

  test('lists the leases of a kind that ran out, keeps one renewed for longer, and drops only leases still run out', async () => {
    const crashed = new LeaderLease(first, 'job:1', 200);
    const finished = new LeaderLease(first, 'job:2', 200);
    expect(await crashed.tryHold()).toBe(true);
    expect(await finished.tryHold()).toBe(true);
    expect(await finished.tryHold(60_000)).toBe(true);
    await new LeaderLease(first, 'other:1', 1).tryHold();
    await pause(400);
    expect(await expiredLeaseNames(second, 'job:', 10)).toEqual(['job:1']);
    // Taken over between the listing and the drop: it stays.
    expect(await new LeaderLease(second, 'job:1', 60_000).tryHold()).toBe(true);
    await dropExpiredLease(second, 'job:1');
    await dropExpiredLease(second, 'other:1');
    expect(await first('leases').orderBy('name').pluck('name')).toEqual(expect.arrayContaining(['job:1', 'job:2']));
    expect(await first('leases').where({ name: 'other:1' }).first()).toBeUndefined();
  });

  test('when every server asks at once, exactly one gets the lease', async () => {
    const leases = Array.from({ length: 8 }, (_, i) => new LeaderLease(i % 2 ? first : second, 'race', 60_000));
    const held = await Promise.all(leases.map((lease) => lease.tryHold()));
    expect(held.filter(Boolean)).toHaveLength(1);
  });
});

describe.skipIf(onPostgres)('leader leases on SQLite', () => {
  test('the one process owning the database always holds them, even beside a lease left by a process before it', async () => {
    const { db, drop } = await createSqliteDatabase('nova-lease-');
    try {
      await migrate(db);
      await db('leases').insert({ name: 'scan', holder: 'the process that crashed', expires_at: Date.now() + 3_600_000 });
      expect(await new LeaderLease(db, 'scan', 60_000).tryHold()).toBe(true);
    } finally {
      await drop();
    }
  });
});

import { afterAll, beforeAll, expect, test } from 'vitest';
import { onPostgres } from '../../test/helpers/database.js';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { eventsAfter, recordEvent } from './record.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t.close());

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

// Only PostgreSQL runs transactions side by side; SQLite's single connection commits them one at a time.
test.runIf(onPostgres)(
  'a reader resuming after the last id it saw never skips an event committed later by a slower transaction',
  async () => {
    const { accountId } = await signUp(t);
    const { deps } = t;
    // The recorder stores any payload; this test only follows ids and commit order, so it marks each event with a tag.
    const tagged = (which: string) => ({
      account_id: accountId,
      conversation_id: null,
      type: 'conversation_updated' as const,
      payload: { which } as never,
    });

    let finishSlow!: () => void;
    const slowCanFinish = new Promise<void>((resolve) => (finishSlow = resolve));
    let slowRecorded!: () => void;
    const slowHasRecorded = new Promise<void>((resolve) => (slowRecorded = resolve));
    const slow = deps.db.transaction(async (trx) => {
      await recordEvent(deps, trx, tagged('slow'));
      slowRecorded();
      await slowCanFinish;
    });
    await slowHasRecorded;
    const fast = deps.db.transaction((trx) => recordEvent(deps, trx, tagged('fast')));
    await settle();

    // While the slow transaction is open, a reader must not see the fast event: it would move its cursor past the slow one.
    const seenMeanwhile = await eventsAfter(deps.db, { account_id: accountId }, 0);
    finishSlow();
    await Promise.all([slow, fast]);
    const cursor = seenMeanwhile.at(-1)?.id ?? 0;
    const resumed = await eventsAfter(deps.db, { account_id: accountId }, cursor);
    const seen = [...seenMeanwhile, ...resumed].map((e) => (e.data as { which?: string }).which);
    expect(seen).toEqual(['slow', 'fast']);
  },
);

import { createHash } from 'node:crypto';
import { validationFailed } from '../errors.js';
import type { CommitAnswer } from '../idempotency/service.js';
import type { AppContext } from './route.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/**
 * Runs a write once per `Idempotency-Key`: `fingerprint` is the request as the route validated it (a
 * retry with the same key must send the same), `work` calls `commit(trx, answer)` inside the write's
 * transaction. Without the header the work simply runs, with no `commit` (so a write with nothing to record
 * in its transaction can take a leaner one: conversations/message-writer.ts).
 */
export type Idempotently = (fingerprint: unknown, work: (commit: CommitAnswer | undefined) => Promise<unknown>) => Promise<unknown>;

/** What routes without `idempotent` (and requests without the header) get: the work runs, nothing is recorded. */
export const withoutIdempotency: Idempotently = (_fingerprint, work) => work(undefined);

/** At most 255 visible ASCII characters, as Stripe takes them (a UUID is the usual choice). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The `idempotently` of a route that declares `idempotent: true`, answering with the route's `status`. */
export function idempotencyOf(ctx: AppContext, status: number): Idempotently {
  const key = ctx.get(IDEMPOTENCY_HEADER);
  if (!key) return withoutIdempotency;
  if (!KEY_PATTERN.test(key))
    throw validationFailed([{ field: IDEMPOTENCY_HEADER, message: 'must be 1 to 255 visible ASCII characters, e.g. a UUID' }]);
  const accountId = ctx.state.website?.account_id ?? ctx.state.principal?.accountId;
  if (accountId === undefined) throw new Error('idempotent routes are signed-in or widget routes');
  return async (fingerprint, work) => {
    const outcome = await ctx.deps.idempotency.run(
      {
        accountId,
        scope: `${ctx.method} ${ctx.path}`,
        key,
        fingerprint: createHash('sha256').update(JSON.stringify(fingerprint)).digest('hex'),
        status,
      },
      work,
    );
    if (outcome.replayed) ctx.set('Idempotent-Replayed', 'true');
    return outcome.answer;
  };
}

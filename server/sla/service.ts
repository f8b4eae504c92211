import type { Deps } from '../deps.js';
import { nowIso } from '../db/knex.js';
import { recordEvent } from '../events/record.js';
import { presentConversation } from '../conversations/presenter.js';
import { findConversation, openConversationTimes, type OpenConversationTimes } from '../conversations/repo.js';
import { addBusinessMinutes } from './business-hours.js';
import { findPolicy, insertBreach, recordedBreaches, type SlaPolicy } from './repo.js';
import type { SlaState } from './schemas.js';

export type SlaKind = 'first_response' | 'resolution';

/** Under this share of a target's window left, a conversation is at risk. */
export const AT_RISK_SHARE = 0.2;

export type ConversationSla = {
  id: number;
  account_id: number;
  status: 'open' | 'pending';
  first_response_due_at: string | null;
  first_response_at: string | null;
  resolution_due_at: string;
  state: SlaState;
  breached: SlaKind[];
};

type Target = { kind: SlaKind; startedAt: Date; minutes: number; metAt: Date | null };

const rank: Record<SlaState, number> = { ok: 0, at_risk: 1, breached: 2 };

/** ok / at_risk / breached for one target; one met late stays breached. */
function targetState(target: Target, policy: SlaPolicy, now: Date): { due: Date; state: SlaState } {
  const due = addBusinessMinutes(target.startedAt, target.minutes, policy.business_hours);
  if (target.metAt) return { due, state: target.metAt > due ? 'breached' : 'ok' };
  if (now >= due) return { due, state: 'breached' };
  const riskFrom = addBusinessMinutes(target.startedAt, target.minutes * (1 - AT_RISK_SHARE), policy.business_hours);
  return { due, state: now >= riskFrom ? 'at_risk' : 'ok' };
}

/**
 * A conversation's SLA: the first-response clock starts at the contact's first message and stops at the
 * first public reply by an agent or bot after it; the resolution clock starts when the conversation opens.
 */
export function conversationSla(c: OpenConversationTimes, policy: SlaPolicy, now: Date): ConversationSla {
  const targets: Target[] = [{ kind: 'resolution', startedAt: new Date(c.created_at), minutes: policy.resolution_minutes, metAt: null }];
  if (c.first_incoming_at)
    targets.unshift({
      kind: 'first_response',
      startedAt: new Date(c.first_incoming_at),
      minutes: policy.first_response_minutes,
      metAt: c.first_response_at ? new Date(c.first_response_at) : null,
    });
  const results = targets.map((t) => ({ kind: t.kind, ...targetState(t, policy, now) }));
  const firstResponse = results.find((r) => r.kind === 'first_response');
  const resolution = results.find((r) => r.kind === 'resolution')!;
  const state = results.reduce<SlaState>((worst, r) => (rank[r.state] > rank[worst] ? r.state : worst), 'ok');
  return {
    id: c.id,
    account_id: c.account_id,
    status: c.status,
    first_response_due_at: firstResponse ? nowIso(firstResponse.due) : null,
    first_response_at: c.first_response_at,
    resolution_due_at: nowIso(resolution.due),
    state,
    breached: results.filter((r) => r.state === 'breached').map((r) => r.kind),
  };
}

export async function slaStatus(deps: Deps, accountId: number) {
  const policy = await findPolicy(deps.db, accountId);
  const now = deps.now();
  const conversations = (await openConversationTimes(deps.db, accountId)).map((c) => conversationSla(c, policy, now));
  const counts = { ok: 0, at_risk: 0, breached: 0 };
  for (const c of conversations) counts[c.state] += 1;
  return { policy, counts, conversations };
}

/**
 * Announces every breach not announced yet: one `sla_breached` event per conversation and target, recorded
 * with its breach row in one transaction (so it reaches webhooks and sockets exactly as often as it happened).
 */
export async function announceBreaches(deps: Deps): Promise<number> {
  const now = deps.now();
  const open = await openConversationTimes(deps.db);
  const policies = new Map<number, SlaPolicy>();
  const breached: { sla: ConversationSla; kind: SlaKind; policy: SlaPolicy }[] = [];
  for (const c of open) {
    let policy = policies.get(c.account_id);
    if (!policy) policies.set(c.account_id, (policy = await findPolicy(deps.db, c.account_id)));
    const sla = conversationSla(c, policy, now);
    for (const kind of sla.breached) breached.push({ sla, kind, policy });
  }
  if (!breached.length) return 0;
  const already = await recordedBreaches(
    deps.db,
    breached.map((b) => b.sla.id),
  );
  let announced = 0;
  for (const { sla, kind, policy } of breached) {
    if (already.has(`${sla.id}:${kind}`)) continue;
    const dueAt = kind === 'first_response' ? sla.first_response_due_at! : sla.resolution_due_at;
    const recorded = await deps.db.transaction(async (trx) => {
      const detectedAt = nowIso(now);
      if (!(await insertBreach(trx, { account_id: sla.account_id, conversation_id: sla.id, kind, due_at: dueAt, detected_at: detectedAt })))
        return false;
      const conversation = await findConversation(trx, sla.account_id, sla.id);
      if (!conversation) return false;
      const { updated_at: _u, ...policyShown } = policy;
      await recordEvent(deps, trx, {
        account_id: sla.account_id,
        conversation_id: sla.id,
        type: 'sla_breached',
        payload: {
          conversation: presentConversation(conversation),
          sla: { kind, due_at: dueAt, detected_at: detectedAt, first_response_at: sla.first_response_at, policy: policyShown },
        },
      });
      return true;
    });
    if (recorded) announced += 1;
  }
  return announced;
}

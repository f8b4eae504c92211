/**
 * How sure retrieval is that its top hit answers the question, as one of three reply bands (contract,
 * "How the AI agent replies"): answer with the top item, offer the top items as choices, or hand off.
 * The constants are calibrated per embedder on the tuning eval sets (server/retrieval/calibration.ts,
 * figures in bench/RESULTS.md) so that a direct answer is rarely wrong and the right item is among the
 * choices whenever retrieval ranks it in the top 3.
 */
export type BandParams = {
  /** The top score must reach this for a direct answer… */
  answerScore: number;
  /** …and lead the second hit's score by at least this much (two close hits mean retrieval cannot tell them apart). */
  answerMargin: number;
  /** A top score below this is a hand-off: nothing in the KB is close enough to offer. */
  handoffBelow: number;
};

/** Choices offered at most (the contract's limit; a "talk to a person" choice is always added after them). */
export const MAX_CHOICES = 3;

export type ReplyBand<H> = { band: 'answer'; item: H } | { band: 'choices'; items: H[] } | { band: 'handoff' };

/** The band for a question from its ranked hits (best first, as search returns them). */
export function replyBand<H extends { score: number }>(hits: readonly H[], params: BandParams): ReplyBand<H> {
  const [top, second] = hits;
  if (!top || top.score < params.handoffBelow) return { band: 'handoff' };
  if (top.score >= params.answerScore && top.score - (second?.score ?? 0) >= params.answerMargin) return { band: 'answer', item: top };
  return { band: 'choices', items: hits.slice(0, MAX_CHOICES) };
}

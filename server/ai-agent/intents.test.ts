import { describe, expect, it } from 'vitest';
import { loadIntentsEval, type IntentExample } from '../../bench/lib/eval-sets.js';
import { detectIntent, type Intent } from './intents.js';

/** The detector's intent for each of the set's labels (`thanks_goodbye` is one move: a polite reply). */
const EXPECTED: Record<IntentExample['intent'], Intent> = {
  handoff: 'handoff',
  greeting: 'greeting',
  thanks_goodbye: 'thanks',
  question: 'question',
};

/**
 * Figures on test/fixtures/intents-eval.json. The detector was written against `dev` only; `test` is reported
 * beside it. A real question taken for courtesy or a request for a person is the costly mistake (the visitor's
 * question is never searched), so the hard negatives get their own floor.
 */
function figures(split: 'dev' | 'test') {
  const examples = loadIntentsEval().examples.filter((e) => e.split === split);
  const results = examples.map((e) => ({ e, got: detectIntent(e.text) }));
  const right = results.filter(({ e, got }) => got.intent === EXPECTED[e.intent]);
  const questions = results.filter(({ e }) => e.intent === 'question');
  const swallowed = questions.filter(({ got }) => got.intent !== 'question');
  const courtesySwallowedQuestions = swallowed.filter(({ got }) => got.intent === 'greeting' || got.intent === 'thanks').length;
  const notQuestions = results.filter(({ e }) => e.intent !== 'question');
  const searched = notQuestions.filter(({ got }) => got.intent === 'question');
  const languageRight = notQuestions.filter(({ e, got }) => got.intent === EXPECTED[e.intent] && got.lang === e.lang);
  return {
    accuracy: right.length / results.length,
    swallowed: swallowed.map(({ e }) => e.text),
    courtesySwallowedQuestions,
    questions: questions.length,
    searched: searched.length / notQuestions.length,
    language: languageRight.length / right.filter(({ e }) => e.intent !== 'question').length,
    misses: results.filter(({ e, got }) => got.intent !== EXPECTED[e.intent]).map(({ e, got }) => `${e.intent}→${got.intent}: ${e.text}`),
    /** Counts of (expected → detected), the figures reported for both halves. */
    confusion: Object.entries(
      results.reduce<Record<string, number>>((counts, { e, got }) => {
        const key = `${EXPECTED[e.intent]}→${got.intent}`;
        counts[key] = (counts[key] ?? 0) + 1;
        return counts;
      }, {}),
    )
      .sort()
      .map(([key, n]) => `${key} ${n}`)
      .join(', '),
  };
}

describe('intent detection on the intents eval set (5 languages)', () => {
  // Floors at the figures measured when the detector was frozen: dev 100 %, test 84.8 % with one test question
  // (of 25) taken for a request for a person (it reaches a human rather than the KB; no question is ever
  // taken for a greeting or a thanks). Test misses are mostly requests for a person worded in ways dev has not.
  for (const { split, floor, swallowed } of [
    { split: 'dev', floor: 0.97, swallowed: 0 },
    { split: 'test', floor: 0.8, swallowed: 1 },
  ] as const) {
    it(`${split}: accuracy ≥ ${floor * 100} %, at most ${swallowed} real question not searched, replies in the message's language`, () => {
      const f = figures(split);
      console.log(
        `intents ${split}: accuracy ${(100 * f.accuracy).toFixed(1)} %, questions not searched ${f.swallowed.length}/${f.questions}, ` +
          `courtesy/hand-off searched ${(100 * f.searched).toFixed(1)} %, language right ${(100 * f.language).toFixed(1)} %\n  ${f.confusion}` +
          (split === 'dev' && f.misses.length ? `\n  misses: ${f.misses.join('\n  ')}` : ''),
      );
      expect(f.accuracy).toBeGreaterThanOrEqual(floor);
      expect(f.swallowed.length).toBeLessThanOrEqual(swallowed);
      expect(f.courtesySwallowedQuestions).toBe(0);
      expect(f.language).toBeGreaterThanOrEqual(0.9);
    });
  }
});

describe('detectIntent', () => {
  it('takes a greeting or thanks before a question out of what is searched', () => {
    expect(detectIntent('Hi there! How long does shipping take?')).toEqual({
      intent: 'question',
      lang: null,
      question: 'How long does shipping take?',
    });
    expect(detectIntent('gracias, ¿y cómo hago una devolución?').question).toBe('cómo hago una devolución?');
    expect(detectIntent('Where is my order?')).toEqual({ intent: 'question', lang: null, question: 'Where is my order?' });
  });

  it('forgives stretched words and one typo in the person asked for, not in other words', () => {
    expect(detectIntent('hiiii').intent).toBe('greeting');
    expect(detectIntent('thanksss!!').intent).toBe('thanks');
    expect(detectIntent('can i talk to an agnet').intent).toBe('handoff');
    expect(detectIntent('can I talk to you about personal data').intent).toBe('question');
  });

  it('leaves questions that name a person, or a person who was talked to, alone', () => {
    for (const text of [
      'I talked to an agent yesterday and he said my refund was approved',
      'do your staff speak english?',
      'is there a human-readable version of my invoice',
      'how many people can use one account',
    ])
      expect(detectIntent(text).intent, text).toBe('question');
  });

  it("settles a language the words share with the widget's", () => {
    expect(detectIntent('operador').lang).toBe('es');
    expect(detectIntent('operador', 'pt').lang).toBe('pt');
    expect(detectIntent('ok thanks').lang).toBe('en');
  });
});

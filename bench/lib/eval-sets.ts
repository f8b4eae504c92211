/**
 * The evaluation sets in test/fixtures (described in test/fixtures/README.md), validated as they load.
 * FAQ sets: a KB of items, paraphrased questions each answered by exactly one item, questions the KB
 * cannot answer. The intents set: messages the bot must not search (asking for a person, greetings,
 * thanks) and real questions that look like them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../server/paths.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures');

/**
 * `sealed`: the held-out set. Whoever tunes sees only its aggregate figures, never its questions or
 * per-question results, and chooses no parameter on it; loading it takes `{ openSealed: true }`.
 */
export const FAQ_EVAL_SETS = {
  shop: { file: 'faq-eval.json', sealed: false },
  dental: { file: 'faq-eval-dental.json', sealed: false },
  invoicing: { file: 'faq-eval-invoicing.sealed.json', sealed: true },
} as const;
export type FaqEvalSetName = keyof typeof FAQ_EVAL_SETS;
/** The sets parameters may be chosen on (both of them, never one alone). */
export const TUNING_SETS = ['shop', 'dental'] as const satisfies readonly FaqEvalSetName[];

const nonEmpty = z.string().trim().min(1);

const faqEvalFile = z
  .object({
    description: nonEmpty,
    items: z.array(
      z.object({
        key: nonEmpty,
        title: nonEmpty,
        content: nonEmpty,
        category: nonEmpty,
        tags: z.array(nonEmpty).optional(),
        /** Phrasings an owner would add as the item's alternate questions, distinct from its test paraphrases. */
        alternates: z.array(nonEmpty).min(1).max(2),
      }),
    ),
    questions: z.array(z.object({ q: nonEmpty, item: nonEmpty })),
    /** `near_topic`: sounds like this business's domain (the hard kind: a wrong KB answer is likely). */
    unanswerable: z.array(z.object({ q: nonEmpty, near_topic: z.boolean() })),
  })
  .superRefine((set, ctx) => {
    const keys = new Set<string>();
    for (const [i, item] of set.items.entries()) {
      if (keys.has(item.key)) ctx.addIssue({ code: 'custom', path: ['items', i, 'key'], message: `duplicate item key ${item.key}` });
      keys.add(item.key);
    }
    for (const [i, question] of set.questions.entries()) {
      if (!keys.has(question.item))
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'item'], message: `unknown item key ${question.item}` });
    }
  });

export type EvalSet = z.infer<typeof faqEvalFile> & { name: FaqEvalSetName; sealed: boolean };
export type EvalItem = EvalSet['items'][number];

export function loadEvalSet(name: FaqEvalSetName = 'shop', options: { openSealed?: boolean } = {}): EvalSet {
  const { file, sealed } = FAQ_EVAL_SETS[name];
  if (sealed && !options.openSealed) {
    throw new Error(
      `eval set "${name}" is sealed: report only its aggregate figures and tune nothing on it (test/fixtures/README.md); pass { openSealed: true } from code that does so`,
    );
  }
  return { ...parseFixture(file, faqEvalFile), name, sealed };
}

export const INTENT_LANGUAGES = ['en', 'es', 'pt', 'fr', 'de'] as const;
/** `question` marks the hard negatives: real questions (some opening with a greeting or thanks) that must be searched. */
export const INTENTS = ['handoff', 'greeting', 'thanks_goodbye', 'question'] as const;

const intentsEvalFile = z.object({
  description: nonEmpty,
  languages: z.array(z.enum(INTENT_LANGUAGES)),
  intents: z.record(z.enum(INTENTS), nonEmpty),
  /** `split`: the detector is written against `dev` only and reported on both halves. */
  examples: z.array(z.object({ text: nonEmpty, lang: z.enum(INTENT_LANGUAGES), intent: z.enum(INTENTS), split: z.enum(['dev', 'test']) })),
});

export type IntentsEval = z.infer<typeof intentsEvalFile>;
export type IntentExample = IntentsEval['examples'][number];

export function loadIntentsEval(): IntentsEval {
  return parseFixture('intents-eval.json', intentsEvalFile);
}

function parseFixture<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')));
  if (!parsed.success) throw new Error(`test/fixtures/${file} is not a valid eval set:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

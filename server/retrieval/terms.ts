import { stem } from 'porter2';

/** Words that carry no topic: matching on them would tie every FAQ item to every question. */
const STOPWORDS = new Set(
  `a an and are as at be been but by can could do does did for from had has have how i i'm if in into is it its
  me my no not of on or our ours please so than that the their them then there these they this to too us was we
  were what when where which who why will with would you your yours hi hello thanks thank just any anything
  get got im ive dont cant`.split(/\s+/),
);

/** Lower-cased words (letters and digits; an apostrophe's tail such as "'s" or "'t" dropped), diacritics removed. */
export function words(text: string): string[] {
  // Plain ASCII (nearly every FAQ text) has nothing to fold.
  // eslint-disable-next-line no-control-regex
  const folded = (/^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD').replace(/\p{M}+/gu, '')).toLowerCase();
  return (folded.match(/[\p{L}\p{N}]+(?:'\p{L}+)?/gu) ?? []).map((w) => w.replace(/'.*/, ''));
}

/**
 * Stems of words seen (a KB's vocabulary is small; indexing 100 000 items stems millions of words). Only
 * words are kept: numbers and codes are their own terms, and a large KB has one for nearly every item.
 */
const stems = new Map<string, string>();
const MAX_CACHED_STEMS = 200_000;

/** A word's index term: its Porter2 (Snowball English) stem; non-words (digits, codes) as they are. */
export function termOf(word: string): string {
  let term = stems.get(word);
  if (term !== undefined) return term;
  if (!/^[a-z]+$/.test(word)) return word;
  term = stem(word);
  if (stems.size >= MAX_CACHED_STEMS) stems.clear();
  stems.set(word, term);
  return term;
}

/** Every content term of a text in order, repeats kept (term frequencies count them). */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const word of words(text)) if (word.length > 1 && !STOPWORDS.has(word)) terms.push(termOf(word));
  return terms;
}

/** A question's distinct content terms. */
export const queryTerms = (text: string): string[] => [...new Set(analyze(text))];

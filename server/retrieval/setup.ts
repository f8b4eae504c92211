import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { calibrationFor } from './calibration.js';
import { describeEmbedder } from './embedders/describe.js';
import { HybridRetrieval } from './service.js';
import { shippedSynonyms } from './synonyms.js';
import type { EmbedderSpec } from './types.js';
import { WorkerEmbedder } from './worker-embedder.js';

/** Which embedder the config asks for; a missing transformers model falls back to the bundled USE, loudly. */
function embedderFor(config: Config, log: Logger): WorkerEmbedder {
  if (config.embedder === 'transformers') {
    const spec: EmbedderSpec = { kind: 'transformers', model: config.embeddingModel, modelsDir: config.modelsDir };
    try {
      const { id, dimensions } = describeEmbedder(spec);
      return new WorkerEmbedder(spec, id, dimensions);
    } catch (error) {
      log.error({ err: error }, 'NOVA_EMBEDDER=transformers but its model is unusable; using the bundled Universal Sentence Encoder');
    }
  }
  const spec: EmbedderSpec = { kind: 'use' };
  const { id, dimensions } = describeEmbedder(spec);
  return new WorkerEmbedder(spec, id, dimensions);
}

/** The server's offline retrieval, calibrated for its embedder (the same on both databases); `start()` loads the indexes. */
export function createRetrieval(config: Config, db: Knex, log: Logger): HybridRetrieval {
  const embedder = embedderFor(config, log);
  return new HybridRetrieval({
    db,
    log,
    dataDir: config.dataDir,
    embedder,
    calibration: calibrationFor(embedder.id),
    synonyms: shippedSynonyms(),
  });
}

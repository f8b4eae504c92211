import type { Deps } from '../deps.js';
import { isPostgres } from '../db/knex.js';
import type { ServerModule } from '../modules.js';
import { bandsFor, fusionFor, matchThresholdFor } from './calibration.js';
import { describeEmbedder } from './embedders/describe.js';
import { HybridRetrieval } from './service.js';
import type { EmbedderSpec, RetrievalService } from './types.js';
import { WorkerEmbedder } from './worker-embedder.js';

/** Which embedder the config asks for; a missing transformers model falls back to the bundled USE, loudly. */
function embedderFor(deps: Deps): WorkerEmbedder {
  const { config, log } = deps;
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

/** Until the module starts, any use of retrieval is a wiring bug: say so instead of failing obscurely. */
export const retrievalNotStarted: RetrievalService = {
  matchThreshold: 1,
  bands: { answerScore: 1, answerMargin: 1, handoffBelow: 1 },
  indexItems: () => Promise.reject(new Error('retrieval has not started')),
  removeItems: () => Promise.reject(new Error('retrieval has not started')),
  search: () => Promise.reject(new Error('retrieval has not started')),
  status: () => {
    throw new Error('retrieval has not started');
  },
};

/** Offline retrieval: puts a started HybridRetrieval on `deps.retrieval`; no routes of its own. */
export function retrievalModule(): ServerModule {
  let service: HybridRetrieval | undefined;
  return {
    name: 'retrieval',
    routes: [],
    async start(deps) {
      const embedder = embedderFor(deps);
      const backend = isPostgres(deps.db) ? 'postgres' : 'sqlite';
      service = new HybridRetrieval({
        db: deps.db,
        log: deps.log.child({ module: 'retrieval' }),
        dataDir: deps.config.dataDir,
        embedder,
        fusion: fusionFor(backend),
        matchThreshold: matchThresholdFor(embedder.id, backend),
        bands: bandsFor(embedder.id, backend),
      });
      await service.start();
      deps.retrieval = service;
      deps.log.info(service.status(), 'retrieval ready');
    },
    async stop() {
      await service?.close();
    },
  };
}

import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../../paths.js';
import type { EmbedderSpec } from '../types.js';

const loaded = new Set<string>();

/**
 * Loads, in the calling (request) thread, the onnxruntime-node the spec's embedder runs on. Its addon
 * registers itself only when its library is first mapped into the process: once the last thread that
 * loaded it has exited, a new worker cannot load it again ("Module did not self-register"). Loaded here
 * once, the library stays mapped for the process's lifetime, so a restarted or later embedding worker can
 * load it; it is the mapping the worker uses, not a second copy. Each embedder has its own onnxruntime-node
 * (transformers.js 2 pins 1.14).
 */
export function keepRuntimeLoaded(spec: EmbedderSpec): void {
  const fromRoot = createRequire(path.join(PROJECT_ROOT, 'package.json'));
  const owner = spec.kind === 'use' ? fromRoot : createRequire(fromRoot.resolve('@xenova/transformers/package.json'));
  const entry = owner.resolve('onnxruntime-node');
  if (loaded.has(entry)) return;
  owner(entry);
  loaded.add(entry);
}

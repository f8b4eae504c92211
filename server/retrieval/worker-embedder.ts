import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '../paths.js';
import type { EmbedReply } from './embed-worker.js';
import type { Embedder, EmbedderSpec } from './types.js';

/** Texts per message to a worker. */
const QUERY_BATCH = 32;
const BULK_BATCH = 32;

type Pending = { text: string; resolve: (v: Float32Array) => void; reject: (e: Error) => void };

/**
 * The request thread's Embedder. Texts are queued and handed in batches to worker threads that run
 * the model, so embedding never blocks HTTP. Two lanes, each with its own worker started on first use:
 * customer queries never wait behind an import's batches (the second core serves them).
 */
export class WorkerEmbedder implements Embedder {
  private readonly lanes: Record<'query' | 'bulk', EmbeddingLane>;

  constructor(
    spec: EmbedderSpec,
    readonly id: string,
    readonly dimensions: number,
  ) {
    this.lanes = { query: new EmbeddingLane(spec, QUERY_BATCH), bulk: new EmbeddingLane(spec, BULK_BATCH) };
  }

  embed(texts: string[], priority: 'query' | 'bulk' = 'bulk'): Promise<Float32Array[]> {
    return this.lanes[priority].embed(texts);
  }

  async close(): Promise<void> {
    await Promise.all([this.lanes.query.close(), this.lanes.bulk.close()]);
  }
}

/** One worker thread and its queue: one batch in flight at a time, the rest waiting. */
class EmbeddingLane {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private inFlight: { id: number; batch: Pending[] } | undefined;
  private nextId = 1;

  constructor(
    private readonly spec: EmbedderSpec,
    private readonly batchSize: number,
  ) {}

  embed(texts: string[]): Promise<Float32Array[]> {
    const results = texts.map((text) => new Promise<Float32Array>((resolve, reject) => this.queue.push({ text, resolve, reject })));
    this.pump();
    return Promise.all(results);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    const error = new Error('The embedder was closed.');
    for (const p of [...(this.inFlight?.batch ?? []), ...this.queue.splice(0)]) p.reject(error);
    this.inFlight = undefined;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.inFlight) return;
    const batch = this.queue.splice(0, this.batchSize);
    if (batch.length === 0) return;
    const id = this.nextId++;
    this.inFlight = { id, batch };
    this.ensureWorker().postMessage({ id, texts: batch.map((p) => p.text) });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerScript(), { workerData: this.spec });
    worker.unref();
    worker.on('message', (reply: EmbedReply) => this.onReply(reply));
    worker.on('error', (error) => this.onWorkerGone(worker, error));
    worker.on('exit', (code) => this.onWorkerGone(worker, new Error(`The embedding worker exited (code ${code}).`)));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: EmbedReply): void {
    const flight = this.inFlight;
    if (!flight || flight.id !== reply.id) return;
    this.inFlight = undefined;
    if ('error' in reply) {
      for (const p of flight.batch) p.reject(new Error(`Embedding failed: ${reply.error}`));
    } else {
      flight.batch.forEach((p, i) => p.resolve(reply.data.slice(i * reply.dimensions, (i + 1) * reply.dimensions)));
    }
    this.pump();
  }

  private onWorkerGone(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const flight = this.inFlight;
    this.inFlight = undefined;
    for (const p of flight?.batch ?? []) p.reject(error);
    this.pump(); // queued work gets a fresh worker
  }
}

/**
 * The worker's script. Built servers load dist/server/embed-worker.js (scripts/build.mjs bundles it);
 * running from the TypeScript sources (tests, benches) it is bundled on first use next to node_modules
 * so its package imports resolve.
 */
function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return path.join(PROJECT_ROOT, 'dist', 'server', 'embed-worker.js');
  return (sourceWorker ??= bundleSourceWorker(path.join(path.dirname(here), 'embed-worker.ts')));
}

let sourceWorker: string | undefined;

function bundleSourceWorker(entry: string): string {
  const require = createRequireFromRoot();
  const esbuild = require('esbuild') as typeof import('esbuild');
  const dir = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'nova-chat');
  fs.mkdirSync(dir, { recursive: true });
  // Built under a private name, then renamed: parallel test processes never see a half-written file.
  const outfile = path.join(dir, 'embed-worker.mjs');
  const staging = path.join(dir, `embed-worker-${process.pid}.tmp.mjs`);
  esbuild.buildSync({
    entryPoints: [entry],
    outfile: staging,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  fs.renameSync(staging, outfile);
  return outfile;
}

function createRequireFromRoot() {
  return createRequire(path.join(PROJECT_ROOT, 'package.json'));
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '../paths.js';
import type { EmbedReply } from './embed-worker.js';
import { keepRuntimeLoaded } from './embedders/native-runtime.js';
import type { Embedder, EmbedderSpec } from './types.js';

/**
 * Texts per message to the worker. A query waits for at most the bulk batch already running, so bulk
 * batches stay small (8 FAQ-length texts ≈ 10 ms on one core); queries go in all that are waiting.
 */
const QUERY_BATCH = 32;
const BULK_BATCH = 8;

type Priority = 'query' | 'bulk';
type Pending = { text: string; resolve: (v: Float32Array) => void; reject: (e: Error) => void };

/**
 * The request thread's Embedder. Texts are queued and handed in batches to one worker thread that runs
 * the model (started on first use), so embedding never blocks HTTP and the model is loaded once. Two
 * queues: whenever the worker is free, waiting customer queries go before queued bulk work (imports,
 * re-embedding), so a query never waits behind more than the one bulk batch in flight.
 */
export class WorkerEmbedder implements Embedder {
  private worker: Worker | undefined;
  private readonly queues: Record<Priority, Pending[]> = { query: [], bulk: [] };
  private inFlight: { id: number; batch: Pending[] } | undefined;
  private nextId = 1;

  constructor(
    private readonly spec: EmbedderSpec,
    readonly id: string,
    readonly dimensions: number,
  ) {}

  embed(texts: string[], priority: Priority = 'bulk'): Promise<Float32Array[]> {
    const queue = this.queues[priority];
    const results = texts.map((text) => new Promise<Float32Array>((resolve, reject) => queue.push({ text, resolve, reject })));
    this.pump();
    return Promise.all(results);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    const error = new Error('The embedder was closed.');
    const waiting = [...(this.inFlight?.batch ?? []), ...this.queues.query.splice(0), ...this.queues.bulk.splice(0)];
    for (const p of waiting) p.reject(error);
    this.inFlight = undefined;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.inFlight) return;
    const batch = this.queues.query.length ? this.queues.query.splice(0, QUERY_BATCH) : this.queues.bulk.splice(0, BULK_BATCH);
    if (batch.length === 0) return;
    const id = this.nextId++;
    this.inFlight = { id, batch };
    this.ensureWorker().postMessage({ id, texts: batch.map((p) => p.text) });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    keepRuntimeLoaded(this.spec);
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

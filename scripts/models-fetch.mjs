// `npm run models:fetch [model]`: downloads a quantized sentence-embedding model for the transformers.js
// embedder into models/<name>/ (Hugging Face layout), where a model hub is reachable. Then run the server
// with NOVA_EMBEDDER=transformers NOVA_EMBEDDING_MODEL=<name>. Hub: HF_ENDPOINT (default huggingface.co).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MODELS = {
  'all-MiniLM-L6-v2': 'Xenova/all-MiniLM-L6-v2',
  'bge-small-en-v1.5': 'Xenova/bge-small-en-v1.5',
};
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2] ?? 'all-MiniLM-L6-v2';
const repo = MODELS[name];
if (!repo) {
  console.error(`models:fetch: unknown model "${name}"; choose one of: ${Object.keys(MODELS).join(', ')}`);
  process.exit(1);
}
const hub = (process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/$/, '');
const modelsDir = path.resolve(process.env.NOVA_MODELS_DIR ?? path.join(root, 'models'));
const target = path.join(modelsDir, name);
const staging = `${target}.partial`;

try {
  fs.rmSync(staging, { recursive: true, force: true });
  for (const file of FILES) {
    const url = `${hub}/${repo}/resolve/main/${file}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const out = path.join(staging, file);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, Buffer.from(await res.arrayBuffer()));
    console.log(`models:fetch: ${name}/${file} (${(fs.statSync(out).size / 2 ** 20).toFixed(1)} MB)`);
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  console.log(`models:fetch: ${name} ready in ${target}; use it with NOVA_EMBEDDER=transformers NOVA_EMBEDDING_MODEL=${name}`);
} catch (error) {
  fs.rmSync(staging, { recursive: true, force: true });
  const reason = error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(error);
  console.error(`models:fetch: cannot download ${repo} from ${hub} (${reason}); copy the model folder into ${modelsDir}/${name} instead.`);
  process.exit(1);
}

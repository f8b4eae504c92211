// Generates the console's and the widget's TypeScript types of the API from its OpenAPI document, so a
// server change that breaks either client fails type-checking. Run by build.mjs (before the console and
// the widget are bundled) and by `npm run typecheck`; the files are gitignored (see the README).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each client keeps its own copy beside its code: the console and the widget are separate programs. */
export const API_TYPE_FILES = ['renderer/src/api/generated/openapi.d.ts', 'server/widget/client/generated/openapi.d.ts'];

/** The OpenAPI document as the server serves it at /openapi.json: a server on loopback, started and stopped here. */
export async function loadOpenApiDocument() {
  const { startServer } = await tsImport(path.join(root, 'server', 'index.ts'), import.meta.url);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-openapi-'));
  const server = await startServer({ env: {}, port: 0, host: '127.0.0.1', dataDir, secretStore: 'file', logLevel: 'silent' });
  try {
    const res = await fetch(`${server.url}/openapi.json`);
    if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
    return await res.json();
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Writes the types of `document` to every client. A file whose text is unchanged is left alone: its
 * modification time is what the browser tests compare to decide whether the console needs a rebuild.
 */
export async function writeApiTypes(document) {
  const text = COMMENT_HEADER + astToString(await openapiTS(document, { silent: true }));
  const written = [];
  for (const rel of API_TYPE_FILES) {
    const file = path.join(root, rel);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
    written.push(rel);
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const written = await writeApiTypes(await loadOpenApiDocument());
  console.log(written.length ? `api types: wrote ${written.join(', ')}` : 'api types: up to date');
}

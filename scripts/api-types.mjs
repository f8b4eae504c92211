// Generates the console's and the widget's TypeScript types of the API from its OpenAPI document, so a
// server change that breaks either client fails type-checking. build.mjs calls writeApiTypes() with the
// document it builds (before the widget and the console are bundled); `npm run typecheck` runs this file,
// which reads the document from the sources. The files are gitignored (see the README).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each client keeps its own copy beside its code: the console and the widget are separate programs. */
const API_TYPE_FILES = ['renderer/src/api/generated/openapi.d.ts', 'server/widget/client/generated/openapi.d.ts'];

/** The OpenAPI document from the server's route definitions, read from the sources (no build, no server). */
async function loadOpenApiDocument() {
  const { openApiDocument } = await tsImport(path.join(root, 'server', 'openapi-document.ts'), import.meta.url);
  return openApiDocument();
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

// Bundles the two embeddable widget scripts (server/widget/client → dist/public) as self-contained,
// minified IIFEs with no runtime dependencies. Used by build.mjs and, run directly, by the widget's
// browser tests so they always exercise the current sources. Prints each file's gzipped size.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = [
  ['server/widget/client/widget.ts', 'widget.js'],
  ['server/widget/client/sdk.ts', 'nova-widget-sdk-v2.js'],
];

export async function buildWidgetScripts() {
  const sizes = [];
  for (const [entry, name] of entries) {
    if (!fs.existsSync(path.join(root, entry))) continue;
    const outfile = path.join(root, 'dist', 'public', name);
    await build({
      entryPoints: [path.join(root, entry)],
      outfile,
      bundle: true,
      platform: 'browser',
      target: ['es2019'],
      format: 'iife',
      minify: true,
      logLevel: 'warning',
    });
    const bytes = fs.readFileSync(outfile);
    sizes.push({ name, bytes: bytes.length, gzipped: zlib.gzipSync(bytes, { level: 9 }).length });
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const s of await buildWidgetScripts()) console.log(`${s.name}: ${s.bytes} bytes, ${s.gzipped} gzipped`);
}

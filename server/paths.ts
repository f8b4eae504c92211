import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json, found by walking up from this module: the same answer from the
 * TypeScript sources (tests), the bundle in dist/ and the packaged Electron app.
 */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot();
/** Built browser assets: widget scripts, API docs bundle (dist/public) and the console (dist/renderer). */
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'dist', 'public');
export const RENDERER_DIR = path.join(PROJECT_ROOT, 'dist', 'renderer');
/** models/ beside the app: in a packaged desktop app electron-builder puts it in resources/, outside app.asar. */
const packagedResources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
export const MODELS_DIR =
  packagedResources && fs.existsSync(path.join(packagedResources, 'models'))
    ? path.join(packagedResources, 'models')
    : path.join(PROJECT_ROOT, 'models');

export const VERSION: string = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

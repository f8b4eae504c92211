// `npm run dist [-- electron-builder args]`: packages the built app with electron-builder.
// Uses a local, unpacked Electron instead of downloading one when ELECTRON_DIST names it, or when the
// electron package installed the pinned version into node_modules/electron/dist.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = path.join(root, 'electron-builder.yml');
const pinned = /^electronVersion:\s*(\S+)/m.exec(fs.readFileSync(config, 'utf8'))?.[1];

function localElectron() {
  if (process.env.ELECTRON_DIST) {
    const dir = path.resolve(process.env.ELECTRON_DIST);
    if (!fs.existsSync(dir)) throw new Error(`ELECTRON_DIST=${dir} does not exist`);
    return dir;
  }
  const installed = path.join(root, 'node_modules', 'electron', 'dist');
  const version = path.join(installed, 'version');
  if (fs.existsSync(version) && fs.readFileSync(version, 'utf8').trim().replace(/^v/, '') === pinned) return installed;
  return null;
}

const args = ['--config', config, ...process.argv.slice(2)];
const electronDist = localElectron();
if (electronDist) {
  args.push(`-c.electronDist=${electronDist}`);
  console.log(`dist: packaging with the local Electron in ${electronDist} (expected version ${pinned})`);
}

const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] });
let output = '';
for (const [from, to] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  from.on('data', (chunk) => {
    output += chunk;
    to.write(chunk);
  });
}
child.on('exit', (code) => {
  if (code !== 0 && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(output)) {
    console.error(
      'dist: electron-builder could not download a build tool or Electron itself. Without internet, set ELECTRON_DIST ' +
        `to an unpacked Electron ${pinned} and run \`npm run dist -- --dir\`; installers are built where the downloads work (main/README.md).`,
    );
  }
  process.exit(code ?? 1);
});

// `npm start`: the desktop app when an Electron binary can run here; otherwise the headless server, saying why
// in one line. Either way the same server, data dir and port settings.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The electron package exports its binary's path, and throws when the optional download failed. */
function electronBinary() {
  let binary;
  try {
    binary = createRequire(import.meta.url)('electron');
  } catch (err) {
    const missing = err?.code === 'MODULE_NOT_FOUND';
    return { reason: missing ? 'the Electron package is not installed' : 'the Electron binary was not downloaded' };
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary)) return { reason: 'the Electron binary was not downloaded' };
  return { binary };
}

/** Loads the binary without a window (as plain Node): fails when its shared libraries are missing. */
function cannotRun(binary) {
  const probe = spawnSync(binary, ['--version'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8', timeout: 20_000 });
  if (probe.status === 0) return null;
  const detail = (probe.error?.message || probe.stderr || `exit code ${probe.status}`).trim().split('\n')[0];
  return `the Electron binary cannot run here: ${detail}`;
}

function whyNotDesktop() {
  if (process.env.NOVA_HEADLESS === '1') return { reason: 'NOVA_HEADLESS=1 is set' };
  const { binary, reason } = electronBinary();
  if (!binary) return { reason };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'there is no display' };
  // Chromium's sandbox, which the console window relies on, refuses to run as root.
  if (process.platform === 'linux' && process.getuid?.() === 0) return { reason: 'it is running as root' };
  if (!fs.existsSync(path.join(root, 'dist', 'main', 'main.js'))) return { reason: 'the desktop shell is not built' };
  const failure = cannotRun(binary);
  return failure ? { reason: failure } : { binary };
}

const { binary, reason } = whyNotDesktop();
if (binary) {
  const child = spawn(binary, [root], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1)));
  // Electron's main process drains the embedded server on these, then exits.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
} else {
  console.log(`Nova Chat: desktop app unavailable (${reason}); starting the headless server instead.`);
  await import(pathToFileURL(path.join(root, 'dist', 'server', 'serve.js')).href);
}

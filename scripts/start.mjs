// `npm start`: the desktop app when an Electron binary and a display exist; otherwise the headless
// server, saying why in one line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary() {
  try {
    // The electron package's main export is the path of its binary; it throws when the download failed.
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? { binary } : { reason: 'the Electron binary is not installed' };
  } catch {
    return { reason: 'the Electron binary is not installed' };
  }
}

function whyNotDesktop() {
  const { binary, reason } = electronBinary();
  if (!binary) return { reason };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'there is no display' };
  if (!fs.existsSync(path.join(root, 'dist', 'main', 'main.js'))) return { reason: 'the desktop shell is not built' };
  return { binary };
}

const { binary, reason } = whyNotDesktop();
if (binary) {
  const child = spawn(binary, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
} else {
  console.log(`Nova Chat: desktop app unavailable (${reason}); starting the headless server instead.`);
  await import(path.join(root, 'dist', 'server', 'serve.js'));
}

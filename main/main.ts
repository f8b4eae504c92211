// Entry of the Electron main process (bundled to dist/main/main.js, package.json "main").
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { defaultDataDir } from '../server/config.js';
import { PROJECT_ROOT } from '../server/paths.js';
import { DesktopApp } from './desktop-app.js';
import { loadElectron } from './electron.js';

const HIDDEN_FLAG = '--hidden';

const electron = loadElectron();
const { app } = electron;
const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.resolve(process.env.NOVA_DATA_DIR || defaultDataDir());

// Created here, owner-only, before the log file: the database and secrets files inherit the folder's privacy.
fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

// The desktop app has no terminal: logs go to a file in the data dir (and to stdout when started from one).
const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { app: 'nova-chat-desktop' },
    redact: ['req.headers.authorization', 'password', '*.password'],
  },
  pino.multistream([
    { stream: process.stdout },
    { stream: pino.destination({ dest: path.join(dataDir, 'logs', 'desktop.log'), mkdir: true }) },
  ]),
);

// What the OS runs at login: the AppImage itself, the installed binary, or (in development) electron + this app.
const loginCommand = app.isPackaged
  ? [process.env.APPIMAGE || app.getPath('exe'), HIDDEN_FLAG]
  : [process.execPath, PROJECT_ROOT, HIDDEN_FLAG];

const desktop = new DesktopApp(electron, {
  dataDir,
  preloadPath: path.join(here, 'preload.cjs'),
  trayIconPath: path.join(PROJECT_ROOT, 'main', 'assets', 'tray.png'),
  env: process.env,
  platform: process.platform,
  loginCommand,
  startHidden: process.argv.includes(HIDDEN_FLAG),
  logger,
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => app.quit());

desktop.run().catch((err: unknown) => {
  logger.fatal({ err }, 'desktop app failed to start');
  app.exit(1);
});

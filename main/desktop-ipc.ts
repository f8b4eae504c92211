import path from 'node:path';
import type { SecretBackendName } from '../server/secrets/backend.js';
import type { IpcMain, IpcMainEvent } from './electron-api.js';
import { IPC } from './ipc-channels.js';
import type { ServerStatus, TlsFiles } from './server-lifecycle.js';
import { sameOrigin } from './window-security.js';

/** What `window.novaDesktop.getStatus()` answers in the console. */
export type DesktopStatus = {
  server: ServerStatus;
  openAtLogin: boolean;
  secretStore: SecretBackendName | null;
  secretStoreLabel: string | null;
  /** The folder holding the database, the desktop settings and, when one is used, the secrets file. */
  dataDir: string;
};

export interface DesktopCommands {
  getStatus(): DesktopStatus;
  setServeLan(on: boolean): Promise<DesktopStatus>;
  setOpenAtLogin(on: boolean): Promise<DesktopStatus>;
  /** Copies the first LAN URL to the clipboard; null when not serving the LAN. */
  copyLanUrl(): string | null;
  /** Serves HTTPS with this certificate and key (checked first: a pair that does not load changes nothing), or plain HTTP with null. */
  setTlsFiles(files: TlsFiles): Promise<DesktopStatus>;
}

function onlyBoolean(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError('expected true or false');
  return value;
}

const MAX_PATH = 4096;

/** null, or two absolute file paths: what the console may hand the TLS setting. */
function onlyTlsFiles(value: unknown): TlsFiles {
  if (value === null) return null;
  const { certFile, keyFile } = (value ?? {}) as Record<string, unknown>;
  const isPath = (p: unknown): p is string => typeof p === 'string' && p.length <= MAX_PATH && path.isAbsolute(p) && !p.includes('\0');
  if (!isPath(certFile) || !isPath(keyFile)) throw new TypeError('expected null or { certFile, keyFile } as absolute paths');
  return { certFile, keyFile };
}

/**
 * The five calls the preload exposes. Each answers only frames of the embedded server's origin, so a page
 * that somehow got into the window (or an iframe) cannot flip the LAN switch.
 */
export function registerDesktopIpc(ipcMain: IpcMain, commands: DesktopCommands, serverOrigin: () => string | null): void {
  const guarded =
    <A extends unknown[], R>(handler: (...args: A) => R) =>
    (event: IpcMainEvent, ...args: unknown[]) => {
      const origin = serverOrigin();
      if (!origin || !event.senderFrame || !sameOrigin(event.senderFrame.url, origin)) throw new Error('Not allowed from this page');
      return handler(...(args as A));
    };
  ipcMain.handle(
    IPC.getStatus,
    guarded(() => commands.getStatus()),
  );
  ipcMain.handle(
    IPC.setServeLan,
    guarded((on: unknown) => commands.setServeLan(onlyBoolean(on))),
  );
  ipcMain.handle(
    IPC.setOpenAtLogin,
    guarded((on: unknown) => commands.setOpenAtLogin(onlyBoolean(on))),
  );
  ipcMain.handle(
    IPC.copyLanUrl,
    guarded(() => commands.copyLanUrl()),
  );
  ipcMain.handle(
    IPC.setTlsFiles,
    guarded((files: unknown) => commands.setTlsFiles(onlyTlsFiles(files))),
  );
}

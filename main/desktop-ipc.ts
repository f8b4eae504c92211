import type { SecretBackendName } from '../server/secrets/backend.js';
import type { IpcMain, IpcMainEvent } from './electron-api.js';
import { IPC } from './ipc-channels.js';
import type { ServerStatus } from './server-lifecycle.js';
import { sameOrigin } from './window-security.js';

/** What `window.novaDesktop.getStatus()` answers in the console. */
export type DesktopStatus = {
  server: ServerStatus;
  openAtLogin: boolean;
  secretStore: SecretBackendName | null;
  secretStoreLabel: string | null;
};

export interface DesktopCommands {
  getStatus(): DesktopStatus;
  setServeLan(on: boolean): Promise<DesktopStatus>;
  setOpenAtLogin(on: boolean): Promise<DesktopStatus>;
  /** Copies the first LAN URL to the clipboard; null when not serving the LAN. */
  copyLanUrl(): string | null;
}

function onlyBoolean(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError('expected true or false');
  return value;
}

/**
 * The four calls the preload exposes. Each answers only frames of the embedded server's origin, so a page
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
}

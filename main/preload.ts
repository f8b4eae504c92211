// Runs sandboxed before the console loads: the page gets `window.novaDesktop` with five calls and nothing
// else from Electron or Node. Bundled to dist/main/preload.cjs (sandboxed preloads must be CommonJS).
import { IPC } from './ipc-channels.js';

type PreloadElectron = {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: { invoke(channel: string, ...args: unknown[]): Promise<unknown> };
};

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS and may only require('electron')
const { contextBridge, ipcRenderer } = require('electron') as PreloadElectron;

contextBridge.exposeInMainWorld('novaDesktop', {
  getStatus: () => ipcRenderer.invoke(IPC.getStatus),
  setServeLan: (on: boolean) => ipcRenderer.invoke(IPC.setServeLan, on === true),
  setOpenAtLogin: (on: boolean) => ipcRenderer.invoke(IPC.setOpenAtLogin, on === true),
  copyLanUrl: () => ipcRenderer.invoke(IPC.copyLanUrl),
  setTlsFiles: (files: unknown) => ipcRenderer.invoke(IPC.setTlsFiles, files),
});

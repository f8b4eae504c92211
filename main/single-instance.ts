import type { App, BrowserWindow } from './electron-api.js';

/**
 * One app per user: two would fight over the SQLite file and the port. Returns false in a second instance,
 * which must quit at once; the first instance then brings its console window to the front (or opens one).
 */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on'>, showWindow: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', showWindow);
  return true;
}

/** Brings an existing window forward: restore if minimised, show if hidden in the tray, then focus. */
export function bringToFront(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}

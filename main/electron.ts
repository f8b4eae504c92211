import { createRequire } from 'node:module';
import type { ElectronMain } from './electron-api.js';

/**
 * The one place the real `electron` module is loaded, at run time: inside Electron it is the API object;
 * under plain Node the package (when installed) only exports the binary's path.
 */
export function loadElectron(): ElectronMain {
  const electron: unknown = createRequire(import.meta.url)('electron');
  if (typeof electron !== 'object' || electron === null) throw new Error('main/main.js must be started by Electron, not Node');
  return electron as ElectronMain;
}

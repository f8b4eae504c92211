import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { App } from './electron-api.js';

export const AUTOSTART_FILE = 'nova-chat-desktop.desktop';

export type LoginItemTarget = {
  platform: NodeJS.Platform;
  /** The command line that starts the app: the AppImage, the installed binary, or electron + app dir in dev. */
  command: string[];
  /** $XDG_CONFIG_HOME, default ~/.config. */
  configHome?: string;
};

/** Desktop-entry Exec quoting: arguments with spaces or specials in double quotes, `"`, `` ` ``, `$`, `\` escaped. */
function execLine(command: string[]): string {
  return command.map((arg) => (/[\s"'`$\\]/.test(arg) ? `"${arg.replace(/(["`$\\])/g, '\\$1')}"` : arg)).join(' ');
}

export function autostartPath(configHome = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config')): string {
  return path.join(configHome, 'autostart', AUTOSTART_FILE);
}

/**
 * Open at login. macOS and Windows have an OS setting Electron writes; on Linux Electron has none, so this
 * writes (or removes) an XDG autostart entry, which GNOME, KDE, Xfce and others read.
 */
export async function applyOpenAtLogin(
  app: Pick<App, 'setLoginItemSettings'>,
  openAtLogin: boolean,
  target: LoginItemTarget,
): Promise<void> {
  if (target.platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin, args: target.command.slice(1) });
    return;
  }
  const file = autostartPath(target.configHome);
  if (!openAtLogin) {
    await fs.rm(file, { force: true });
    return;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const entry = [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Nova Chat Desktop',
    'Comment=Customer-support chat for your website',
    `Exec=${execLine(target.command)}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
  await fs.writeFile(file, entry);
}

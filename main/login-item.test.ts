import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyOpenAtLogin, autostartPath } from './login-item.js';
import { FakeApp } from './testing/fake-electron.js';

let configHome: string;
beforeEach(async () => {
  configHome = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-desktop-xdg-'));
});
afterEach(() => fs.rm(configHome, { recursive: true, force: true }));

describe('open at login', () => {
  it('on Linux writes an XDG autostart entry that starts the app hidden, and removes it when switched off', async () => {
    const app = new FakeApp(true);
    const command = ['/home/sam/Apps/Nova Chat Desktop.AppImage', '--hidden'];
    await applyOpenAtLogin(app, true, { platform: 'linux', command, configHome });
    const entry = await fs.readFile(autostartPath(configHome), 'utf8');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain('Exec="/home/sam/Apps/Nova Chat Desktop.AppImage" --hidden\n');
    expect(app.loginItem).toBeNull();

    await applyOpenAtLogin(app, false, { platform: 'linux', command, configHome });
    await expect(fs.access(autostartPath(configHome))).rejects.toThrow();
    await applyOpenAtLogin(app, false, { platform: 'linux', command, configHome }); // already off: no error
  });

  it('on Windows and macOS uses the OS login item with the hidden flag', async () => {
    const app = new FakeApp(true);
    await applyOpenAtLogin(app, true, { platform: 'win32', command: ['C:\\Nova\\Nova Chat Desktop.exe', '--hidden'], configHome });
    expect(app.loginItem).toEqual({ openAtLogin: true, args: ['--hidden'] });
    await applyOpenAtLogin(app, false, {
      platform: 'darwin',
      command: ['/Applications/Nova.app/Contents/MacOS/Nova', '--hidden'],
      configHome,
    });
    expect(app.loginItem).toEqual({ openAtLogin: false, args: ['--hidden'] });
    await expect(fs.access(autostartPath(configHome))).rejects.toThrow();
  });
});

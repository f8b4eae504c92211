import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DesktopApp, type DesktopAppOptions } from './desktop-app.js';
import type { DesktopStatus } from './desktop-ipc.js';
import { IPC } from './ipc-channels.js';
import { portToBind } from '../test/helpers/ports.js';
import { SettingsStore } from './settings.js';
import { FakeTray, FakeWindow, fakeElectron, type FakeElectron } from './testing/fake-electron.js';
import { fakeSafeStorage } from './testing/fake-safe-storage.js';
import { httpsRequest, makeCertificate } from '../test/helpers/tls.js';

// No keychain answers (as on a desktop without a Secret Service), so the app must pick safeStorage.
vi.mock('../server/secrets/keychain.js', () => ({
  keychainBackend: () => {
    const fail = async () => {
      throw new Error('no keychain');
    };
    return { name: 'keychain', get: fail, set: fail };
  },
}));

let dataDir: string;
let running: { electron: FakeElectron; desktop: DesktopApp }[] = [];

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-desktop-app-'));
  osSafeStorage = fakeSafeStorage({ available: true });
});

afterEach(async () => {
  for (const { desktop } of running) await desktop.shutdown();
  running = [];
  vi.restoreAllMocks();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** One "OS key store" per test: a relaunch on the same machine decrypts what the first launch stored. */
let osSafeStorage: ReturnType<typeof fakeSafeStorage>;

async function launch(options: { lockGranted?: boolean; startHidden?: boolean; port?: number } = {}) {
  const electron = fakeElectron({ lockGranted: options.lockGranted, safeStorage: osSafeStorage });
  const appOptions: DesktopAppOptions = {
    dataDir,
    preloadPath: '/opt/nova/resources/app.asar/dist/main/preload.cjs',
    trayIconPath: '/opt/nova/resources/app.asar/main/assets/tray.png',
    env: options.port ? { PORT: String(options.port) } : {},
    platform: 'linux',
    loginCommand: ['/opt/nova/nova-chat-desktop', '--hidden'],
    startHidden: options.startHidden ?? false,
    logger: pino({ level: 'silent' }),
    lanAddresses: () => [{ address: '192.168.1.20', family: 'IPv4', interface: 'eth0' }],
  };
  const desktop = new DesktopApp(electron, appOptions);
  running.push({ electron, desktop });
  const first = await desktop.run();
  return { electron, desktop, first };
}

/** Waits for the fire-and-forget work a menu click starts (the server restart) to settle. */
async function settled(desktop: DesktopApp, predicate: (s: DesktopStatus) => boolean) {
  for (let i = 0; i < 200 && !predicate(desktop.getStatus()); i++) await new Promise((r) => setTimeout(r, 25));
  return desktop.getStatus();
}

const healthAt = async (url: string) => {
  try {
    return (await fetch(`${url}/health`)).status;
  } catch {
    return 'refused';
  }
};

describe('desktop app (fake Electron, real embedded server)', () => {
  it('starts the server, opens the console window on it and shows status in the tray', async () => {
    const port = await portToBind('127.0.0.1');
    const { electron, first } = await launch({ port });
    expect(first).toBe(true);
    const url = `http://127.0.0.1:${port}`;
    expect(await healthAt(url)).toBe(200);

    expect(FakeWindow.all).toHaveLength(1);
    const window = FakeWindow.all[0]!;
    expect(window.loaded).toEqual([`${url}/app/`]);
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true });
    await Promise.resolve();
    expect(window.visible).toBe(true);

    const tray = FakeTray.current!;
    expect(tray.tooltip).toContain(`Running at ${url}`);
    const labels = tray.menu.map((i) => i.label);
    expect(labels).toEqual(
      expect.arrayContaining(['LAN: this computer only', 'Open console', 'Serve the LAN', 'Open at login', 'Quit Nova Chat']),
    );
    expect(labels).toContain('Secrets: Electron safeStorage (encrypted file)');

    const status = (await electron.ipcMain.invoke(IPC.getStatus, `${url}/app/`)) as DesktopStatus;
    expect(status).toMatchObject({ secretStore: 'safe_storage', openAtLogin: false, server: { state: 'running', url, serveLan: false } });
  });

  it('serves the LAN from the tray switch, copies the LAN address, and remembers both switches on the next launch', async () => {
    const port = await portToBind('0.0.0.0');
    const { electron, desktop } = await launch({ port });
    FakeTray.current!.click('Serve the LAN');
    const lan = await settled(desktop, (s) => s.server.state === 'running' && s.server.serveLan);
    expect(lan.server).toMatchObject({ host: '0.0.0.0', port, lanUrls: [`http://192.168.1.20:${port}`] });
    expect(FakeTray.current!.tooltip).toContain(`LAN: http://192.168.1.20:${port}`);
    FakeTray.current!.click('Copy LAN address');
    expect(electron.clipboardText).toBe(`http://192.168.1.20:${port}`);
    // The console window stays on the same origin: no reload needed.
    expect(FakeWindow.all[0]!.loaded).toHaveLength(1);

    FakeTray.current!.click('Open at login');
    await settled(desktop, (s) => s.openAtLogin);
    expect(await new SettingsStore(dataDir).load()).toMatchObject({ serveLan: true, openAtLogin: true, port });

    FakeTray.current!.click('Quit Nova Chat');
    await settled(desktop, (s) => s.server.state === 'stopped');
    const again = await launch();
    expect(again.desktop.getStatus()).toMatchObject({
      openAtLogin: true,
      secretStore: 'safe_storage',
      server: { state: 'running', serveLan: true, host: '0.0.0.0', port },
    });
  });

  it('serves HTTPS with the certificate and key the console sets, remembers them, refuses a pair that does not load, and back to HTTP', async () => {
    const port = await portToBind('0.0.0.0');
    const { electron, desktop } = await launch({ port });
    const certs = path.join(dataDir, 'certs');
    const [good, other] = await Promise.all([makeCertificate(certs, 'box'), makeCertificate(certs, 'other')]);
    await desktop.setServeLan(true);
    const origin = `http://127.0.0.1:${port}`;

    const status = (await electron.ipcMain.invoke(IPC.setTlsFiles, `${origin}/app/`, {
      certFile: good.certFile,
      keyFile: good.keyFile,
    })) as DesktopStatus;
    const https = `https://127.0.0.1:${port}`;
    expect(status.server).toMatchObject({
      state: 'running',
      url: https,
      port,
      lanUrls: [`https://192.168.1.20:${port}`],
      tls: { certFile: good.certFile, keyFile: good.keyFile },
    });
    expect(status.dataDir).toBe(dataDir);
    expect((await httpsRequest(`${https}/health`, good.cert)).fingerprint256).toBe(good.fingerprint256);
    // The window follows the server to https, and trusts the server's own certificate there, nothing else.
    await settled(desktop, () => FakeWindow.all[0]!.loaded.includes(`${https}/app/`));
    const trusted = (url: string, pem: string) => {
      let answer: boolean | undefined;
      let prevented = false;
      electron.app.emit(
        'certificate-error',
        { preventDefault: () => (prevented = true) },
        null,
        url,
        'net::ERR_CERT_AUTHORITY_INVALID',
        { data: pem },
        (t: boolean) => (answer = t),
      );
      return { answer, prevented };
    };
    expect(trusted(`${https}/app/`, good.cert)).toEqual({ answer: true, prevented: true });
    expect(trusted(`${https}/app/`, other.cert)).toEqual({ answer: false, prevented: false });
    expect(trusted('https://evil.test/', good.cert)).toEqual({ answer: false, prevented: false });

    // A key that is not the certificate's: refused naming the file, and the server keeps running as it was.
    await expect(desktop.setTlsFiles({ certFile: good.certFile, keyFile: other.keyFile })).rejects.toThrow(
      /does not go with the certificate/,
    );
    expect(desktop.getStatus().server).toMatchObject({ state: 'running', url: https, tls: { keyFile: good.keyFile } });
    await expect(electron.ipcMain.invoke(IPC.setTlsFiles, `${https}/app/`, { certFile: 'cert.pem', keyFile: 'key.pem' })).rejects.toThrow(
      /absolute paths/,
    );

    // Remembered on the next launch.
    expect(await new SettingsStore(dataDir).load()).toMatchObject({ tls: { certFile: good.certFile, keyFile: good.keyFile } });
    await desktop.shutdown();
    const again = await launch();
    expect(again.desktop.getStatus().server).toMatchObject({ state: 'running', url: https });

    const plain = await again.desktop.setTlsFiles(null);
    expect(plain.server).toMatchObject({ state: 'running', url: origin, tls: null, lanUrls: [`http://192.168.1.20:${port}`] });
    expect(await healthAt(origin)).toBe(200);
  });

  it('focuses the existing window when a second instance starts, and reopens the console from the tray after closing it', async () => {
    const { electron } = await launch({ port: await portToBind('127.0.0.1') });
    const window = FakeWindow.all[0]!;
    window.minimized = true;
    electron.app.emit('second-instance');
    expect(FakeWindow.all).toHaveLength(1);
    expect(window).toMatchObject({ minimized: false, focusCount: 1 });

    window.close();
    electron.app.emit('window-all-closed');
    expect(electron.app.exitCode).toBeNull(); // still serving from the tray
    FakeTray.current!.click('Open console');
    expect(FakeWindow.all).toHaveLength(2);
  });

  it('a second instance quits at once without starting a server or a window', async () => {
    const { electron, desktop, first } = await launch({ lockGranted: false });
    expect(first).toBe(false);
    expect(electron.app.quitCalls).toBe(1);
    expect(electron.app.exitCode).toBe(0);
    expect(FakeWindow.all).toHaveLength(0);
    expect(FakeTray.current).toBeNull();
    expect(desktop.lifecycle.status().state).toBe('stopped');
  });

  it('quitting drains the server before the app exits', async () => {
    const port = await portToBind('127.0.0.1');
    const { electron, desktop } = await launch({ port });
    electron.app.quit();
    expect(electron.app.exitCode).toBeNull(); // held until the server has closed
    await settled(desktop, () => electron.app.exitCode !== null);
    expect(electron.app.exitCode).toBe(0);
    expect(desktop.lifecycle.status().state).toBe('stopped');
    expect(await healthAt(`http://127.0.0.1:${port}`)).toBe('refused');
    expect(FakeTray.current!.destroyed).toBe(true);
  });

  it('quitting right after the start finishes saving the port, so the next start takes the same one', async () => {
    // A slow disk: the settings file lands well after the server has stopped.
    const rename = fs.rename.bind(fs);
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      await new Promise((r) => setTimeout(r, 300));
      return rename(from, to);
    });
    const port = await portToBind('127.0.0.1');
    const { electron, desktop } = await launch({ port });
    electron.app.quit();
    await settled(desktop, () => electron.app.exitCode !== null);
    expect(electron.app.exitCode).toBe(0);
    expect(await new SettingsStore(dataDir).load()).toMatchObject({ port });
  });

  it('started at login it stays in the tray until asked for the window', async () => {
    await launch({ port: await portToBind('127.0.0.1'), startHidden: true });
    expect(FakeWindow.all).toHaveLength(0);
    FakeTray.current!.emit('click');
    expect(FakeWindow.all).toHaveLength(1);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_FILE, SettingsStore } from './settings.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-desktop-settings-'));
});
afterEach(() => fs.rm(dataDir, { recursive: true, force: true }));

describe('desktop settings', () => {
  it('starts from loopback-only, not at login', async () => {
    expect(await new SettingsStore(dataDir).load()).toEqual({ serveLan: false, openAtLogin: false });
    expect(DEFAULT_SETTINGS).toEqual({ serveLan: false, openAtLogin: false });
  });

  it('keeps the LAN switch, open-at-login and last port across restarts of the app', async () => {
    await new SettingsStore(dataDir).update({ serveLan: true });
    await new SettingsStore(dataDir).update({ openAtLogin: true, port: 8081 });
    const reopened = await new SettingsStore(dataDir).load();
    expect(reopened).toEqual({ serveLan: true, openAtLogin: true, port: 8081 });
    expect(JSON.parse(await fs.readFile(path.join(dataDir, SETTINGS_FILE), 'utf8'))).toEqual(reopened);
  });

  it('falls back to defaults on a damaged file, field by field on wrong values', async () => {
    const file = path.join(dataDir, SETTINGS_FILE);
    await fs.writeFile(file, '{ "serveLan": tru');
    expect(await new SettingsStore(dataDir).load()).toEqual(DEFAULT_SETTINGS);
    await fs.writeFile(file, JSON.stringify({ serveLan: 'yes', openAtLogin: true, port: 99999 }));
    expect(await new SettingsStore(dataDir).load()).toEqual({ serveLan: false, openAtLogin: true });
  });

  it('creates the data dir on first save', async () => {
    const nested = path.join(dataDir, 'fresh', 'nova');
    await new SettingsStore(nested).update({ serveLan: true });
    expect((await new SettingsStore(nested).load()).serveLan).toBe(true);
  });
});

describe('desktop settings under concurrent changes', () => {
  it('keeps every change when several land at once', async () => {
    const store = new SettingsStore(dataDir);
    await Promise.all([store.update({ serveLan: true }), store.update({ port: 8090 }), store.update({ openAtLogin: true })]);
    expect(await new SettingsStore(dataDir).load()).toEqual({ serveLan: true, openAtLogin: true, port: 8090 });
  });
});

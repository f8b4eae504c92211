import { describe, expect, it } from 'vitest';
import { registerDesktopIpc, type DesktopCommands, type DesktopStatus } from './desktop-ipc.js';
import { IPC } from './ipc-channels.js';
import { FakeIpcMain } from './testing/fake-electron.js';

const ORIGIN = 'http://127.0.0.1:8080';

function setup(origin: string | null = ORIGIN) {
  const calls: string[] = [];
  const status = { openAtLogin: false } as DesktopStatus;
  const commands: DesktopCommands = {
    getStatus: () => status,
    setServeLan: async (on) => (calls.push(`lan:${on}`), status),
    setOpenAtLogin: async (on) => (calls.push(`login:${on}`), status),
    copyLanUrl: () => (calls.push('copy'), 'http://192.168.1.20:8080'),
    setTlsFiles: async (files) => (calls.push(`tls:${files ? `${files.certFile},${files.keyFile}` : 'off'}`), status),
  };
  const ipc = new FakeIpcMain();
  registerDesktopIpc(ipc, commands, () => origin);
  return { ipc, calls };
}

describe('preload IPC', () => {
  it('exposes exactly five calls', () => {
    expect([...setup().ipc.handlers.keys()].sort()).toEqual(Object.values(IPC).sort());
  });

  it('answers the console page', async () => {
    const { ipc, calls } = setup();
    await ipc.invoke(IPC.setServeLan, `${ORIGIN}/app/settings`, true);
    await ipc.invoke(IPC.setOpenAtLogin, `${ORIGIN}/app/`, false);
    expect(await ipc.invoke(IPC.copyLanUrl, `${ORIGIN}/app/`)).toBe('http://192.168.1.20:8080');
    await ipc.invoke(IPC.setTlsFiles, `${ORIGIN}/app/`, { certFile: '/etc/nova/cert.pem', keyFile: '/etc/nova/key.pem' });
    await ipc.invoke(IPC.setTlsFiles, `${ORIGIN}/app/`, null);
    expect(calls).toEqual(['lan:true', 'login:false', 'copy', 'tls:/etc/nova/cert.pem,/etc/nova/key.pem', 'tls:off']);
  });

  it('takes only null or two absolute paths for the TLS files', async () => {
    const { ipc, calls } = setup();
    for (const bad of [
      undefined,
      'cert.pem',
      { certFile: 'cert.pem', keyFile: '/k.pem' },
      { certFile: '/c.pem' },
      { certFile: '/c.pem', keyFile: 7 },
    ]) {
      await expect(ipc.invoke(IPC.setTlsFiles, `${ORIGIN}/app/`, bad)).rejects.toThrow(/absolute paths/);
    }
    expect(calls).toEqual([]);
  });

  it('refuses frames from any other origin, and everything while the server is down', async () => {
    const { ipc, calls } = setup();
    await expect(ipc.invoke(IPC.setServeLan, 'https://evil.test/', true)).rejects.toThrow(/not allowed/i);
    await expect(ipc.invoke(IPC.getStatus, 'http://127.0.0.1:8081/app/')).rejects.toThrow(/not allowed/i);
    const down = setup(null);
    await expect(down.ipc.invoke(IPC.getStatus, `${ORIGIN}/app/`)).rejects.toThrow(/not allowed/i);
    expect(calls).toEqual([]);
  });

  it('accepts only true or false for the switches', async () => {
    const { ipc, calls } = setup();
    await expect(ipc.invoke(IPC.setServeLan, `${ORIGIN}/app/`, 'yes')).rejects.toThrow(/true or false/);
    await expect(ipc.invoke(IPC.setOpenAtLogin, `${ORIGIN}/app/`)).rejects.toThrow(/true or false/);
    expect(calls).toEqual([]);
  });
});

// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DesktopStatus, NovaDesktop, TlsFiles } from '../../desktop/bridge.js';
import { consoleTestServer, LIVE, openConsole, ownerWithWebsite } from '../../testing/console.js';

/**
 * The account page's Desktop section, in jsdom against a real server, with a stand-in for the desktop app's
 * `window.novaDesktop` that answers as main/desktop-app.ts does (main/ has its own tests through its seams).
 */
const t = consoleTestServer();
afterEach(() => {
  delete window.novaDesktop;
});

/** A desktop app whose server runs on loopback port 8080; `calls` records what the console asked. */
function fakeDesktop() {
  const calls: string[] = [];
  let status: DesktopStatus = {
    server: {
      state: 'running',
      url: 'http://127.0.0.1:8080',
      port: 8080,
      host: '127.0.0.1',
      serveLan: false,
      lanUrls: [],
      tls: null,
      secretStore: 'keychain',
      error: null,
    },
    openAtLogin: false,
    secretStore: 'keychain',
    secretStoreLabel: 'OS keychain',
    dataDir: '/home/ada/.local/share/nova-chat-desktop',
  };
  const scheme = (tls: TlsFiles) => (tls ? 'https' : 'http');
  const desktop: NovaDesktop = {
    getStatus: async () => status,
    setServeLan: async (on) => {
      calls.push(`lan:${on}`);
      const lanUrls = on ? [`${scheme(status.server.tls)}://192.168.1.20:8080`] : [];
      status = { ...status, server: { ...status.server, serveLan: on, host: on ? '0.0.0.0' : '127.0.0.1', lanUrls } };
      return status;
    },
    setOpenAtLogin: async (on) => {
      calls.push(`login:${on}`);
      status = { ...status, openAtLogin: on };
      return status;
    },
    copyLanUrl: async () => (calls.push('copy'), status.server.lanUrls[0] ?? null),
    setTlsFiles: async (files) => {
      calls.push(`tls:${files ? `${files.certFile},${files.keyFile}` : 'off'}`);
      if (files?.keyFile.endsWith('wrong.pem'))
        throw new Error(
          `Error invoking remote method 'nova-desktop:set-tls-files': Error: NOVA_TLS_KEY ${files.keyFile} does not go with the certificate ${files.certFile}`,
        );
      status = {
        ...status,
        server: { ...status.server, tls: files, lanUrls: status.server.lanUrls.map((u) => u.replace(/^https?/, scheme(files))) },
      };
      return status;
    },
  };
  return { desktop, calls };
}

describe('account page: the desktop app’s settings', { timeout: 60_000 }, () => {
  it('in the desktop window: serve the LAN and copy its address, open at login, where secrets live, the TLS files, and links', async () => {
    const owner = await ownerWithWebsite(t);
    const { desktop, calls } = fakeDesktop();
    window.novaDesktop = desktop;
    const { user } = openConsole(t, owner.token, '/account');
    const section = within(await screen.findByTestId('desktop-settings', undefined, LIVE));
    expect((await section.findByTestId('desktop-secrets', undefined, LIVE)).textContent).toContain('OS keychain');
    expect(section.getByTestId('desktop-secrets').textContent).toContain('/home/ada/.local/share/nova-chat-desktop');
    expect(section.queryByTestId('desktop-lan-url')).toBeNull();

    await user.click(section.getByRole('switch', { name: /Serve the LAN/ }));
    expect((await section.findByTestId('desktop-lan-url', undefined, LIVE)).textContent).toBe('http://192.168.1.20:8080');
    await user.click(section.getByRole('button', { name: 'Copy LAN address' }));
    await user.click(section.getByRole('switch', { name: /Open at login/ }));
    await waitFor(() => expect((section.getByRole('switch', { name: /Open at login/ }) as HTMLInputElement).checked).toBe(true), LIVE);

    // TLS: a pair the app refuses shows its reason; a good one is used and the LAN address turns https.
    await user.type(section.getByLabelText('Certificate file'), '/etc/nova/fullchain.pem');
    await user.type(section.getByLabelText('Key file'), '/etc/nova/wrong.pem');
    await user.click(section.getByRole('button', { name: 'Use HTTPS' }));
    expect((await section.findByTestId('desktop-error', undefined, LIVE)).textContent).toBe(
      'That did not workNOVA_TLS_KEY /etc/nova/wrong.pem does not go with the certificate /etc/nova/fullchain.pem',
    );
    await user.clear(section.getByLabelText('Key file'));
    await user.type(section.getByLabelText('Key file'), '/etc/nova/privkey.pem');
    await user.click(section.getByRole('button', { name: 'Use HTTPS' }));
    await waitFor(() => expect(section.getByTestId('desktop-lan-url').textContent).toBe('https://192.168.1.20:8080'), LIVE);
    expect(section.queryByTestId('desktop-error')).toBeNull();
    await user.click(section.getByRole('button', { name: 'Back to HTTP' }));
    await waitFor(() => expect(section.getByTestId('desktop-lan-url').textContent).toBe('http://192.168.1.20:8080'), LIVE);

    expect(calls).toEqual([
      'lan:true',
      'copy',
      'login:true',
      'tls:/etc/nova/fullchain.pem,/etc/nova/wrong.pem',
      'tls:/etc/nova/fullchain.pem,/etc/nova/privkey.pem',
      'tls:off',
    ]);
    expect(section.getByRole('link', { name: 'Backups' }).getAttribute('href')).toBe('/app/backups');
    expect(section.getByRole('link', { name: 'Public URL' }).getAttribute('href')).toBe('#public-url');
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
  });

  it('in a plain browser the section is not there', async () => {
    const owner = await ownerWithWebsite(t);
    openConsole(t, owner.token, '/account');
    await screen.findByText('Account & plan', undefined, LIVE);
    expect(screen.queryByTestId('desktop-settings')).toBeNull();
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
  });
});

import { describe, expect, it } from 'vitest';
import { consoleCsp, consoleWindowOptions, guardNavigation, installCsp, installPermissionPolicy } from './window-security.js';
import { FakeWindow, fakeElectron } from './testing/fake-electron.js';

const ORIGIN = 'http://127.0.0.1:8080';

function guardedWindow() {
  const electron = fakeElectron();
  const window = new FakeWindow(consoleWindowOptions('/app/dist/main/preload.cjs'));
  let origin: string | null = ORIGIN;
  guardNavigation(window.webContents, () => origin, electron.shell);
  installCsp(window.webContents.session, () => origin);
  installPermissionPolicy(window.webContents.session);
  return { window, electron, setOrigin: (o: string | null) => (origin = o) };
}

describe('console window security', () => {
  it('isolates the page from Node and Electron', () => {
    const prefs = consoleWindowOptions('/x/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('keeps navigation on the embedded server and sends web links to the system browser', async () => {
    const { window, electron } = guardedWindow();
    expect(window.webContents.navigate('will-navigate', `${ORIGIN}/app/inbox`)).toBe(true);
    expect(window.webContents.navigate('will-navigate', 'https://docs.example.com/guide')).toBe(false);
    expect(window.webContents.navigate('will-redirect', 'http://127.0.0.1:9999/app/')).toBe(false);
    expect(window.webContents.navigate('will-navigate', 'file:///etc/passwd')).toBe(false);
    expect(window.webContents.navigate('will-navigate', 'javascript:alert(1)')).toBe(false);
    expect(electron.opened).toEqual(['https://docs.example.com/guide', 'http://127.0.0.1:9999/app/']);
  });

  it('never opens a second Electron window: target=_blank goes to the browser, odd schemes nowhere', () => {
    const { window, electron } = guardedWindow();
    expect(window.webContents.openHandler!({ url: 'https://corner.test/' })).toEqual({ action: 'deny' });
    expect(window.webContents.openHandler!({ url: 'mailto:help@corner.test' })).toEqual({ action: 'deny' });
    expect(window.webContents.openHandler!({ url: 'smb://fileserver/share' })).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual(['https://corner.test/', 'mailto:help@corner.test']);
  });

  it('blocks everything while the server is down (no origin to trust)', () => {
    const { window, setOrigin } = guardedWindow();
    setOrigin(null);
    expect(window.webContents.navigate('will-navigate', `${ORIGIN}/app/`)).toBe(false);
  });

  it("adds the CSP to the server's responses only, replacing any weaker one", () => {
    const { window } = guardedWindow();
    const listener = window.webContents.session.headersListener!;
    let headers: Record<string, string[]> | undefined;
    listener(
      { url: `${ORIGIN}/app/`, responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ['default-src *'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers!['content-type']).toEqual(['text/html']);
    expect(headers!['content-security-policy']).toBeUndefined();
    expect(headers!['Content-Security-Policy']).toEqual([consoleCsp(ORIGIN)]);

    listener({ url: 'https://elsewhere.test/', responseHeaders: { a: ['b'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ a: ['b'] });
  });

  it('CSP: own scripts only, API and realtime socket of the same server, no plugins or framing', () => {
    const csp = consoleCsp(ORIGIN);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:8080");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('grants notifications and clipboard writes, refuses camera, geolocation and the rest', () => {
    const { window } = guardedWindow();
    const ask = (permission: string) => {
      let granted: boolean | undefined;
      window.webContents.session.permissionHandler!(null, permission, (g) => (granted = g));
      return granted;
    };
    expect(ask('notifications')).toBe(true);
    expect(ask('clipboard-sanitized-write')).toBe(true);
    expect(ask('media')).toBe(false);
    expect(ask('geolocation')).toBe(false);
  });
});

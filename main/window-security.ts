import type { BrowserWindowOptions, Session, Shell, WebContents } from './electron-api.js';

/** The console window: no Node in the page, an isolated and sandboxed preload, no webviews. */
export function consoleWindowOptions(preloadPath: string): BrowserWindowOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 380,
    minHeight: 520,
    title: 'Nova Chat Desktop',
    show: false,
    backgroundColor: '#1a1b1e',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  };
}

/**
 * Content-Security-Policy for pages of the embedded server: only its own scripts, its own API and realtime
 * socket; inline styles are allowed because the component library sets style attributes.
 */
export function consoleCsp(origin: string): string {
  const socketOrigin = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    // The API docs (Redoc) index their search in a worker started from a blob.
    "worker-src 'self' blob:",
    `connect-src 'self' ${socketOrigin}`,
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

/** Links the system browser may open: web pages and mail, never file:, javascript: or custom schemes. */
export function isExternalOpenable(url: string): boolean {
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Adds the CSP to every response of the server origin (the origin can change when the port does). */
export function installCsp(session: Session, serverOrigin: () => string | null): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const origin = serverOrigin();
    if (!origin || !sameOrigin(details.url, origin)) return callback({ responseHeaders: details.responseHeaders });
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [consoleCsp(origin)] } });
  });
}

/** Desktop notifications (new conversation) and copy buttons only, and only for the console's own pages. */
const ALLOWED_PERMISSIONS = new Set(['notifications', 'clipboard-sanitized-write']);

export function installPermissionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_webContents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
}

/**
 * The window stays on the embedded server: navigation anywhere else is blocked and, for web links, handed to
 * the system browser; `window.open`/`target=_blank` never opens an Electron window.
 */
export function guardNavigation(webContents: WebContents, serverOrigin: () => string | null, shell: Shell): void {
  const openOutside = (url: string) => {
    if (isExternalOpenable(url)) void shell.openExternal(url);
  };
  webContents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  const keepInside = (event: { preventDefault(): void }, url: string) => {
    const origin = serverOrigin();
    if (origin && sameOrigin(url, origin)) return;
    event.preventDefault();
    openOutside(url);
  };
  webContents.on('will-navigate', keepInside);
  webContents.on('will-redirect', keepInside);
  webContents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * `window.novaDesktop`: what the desktop app's preload (main/preload.ts) gives the console in its own window,
 * and nothing in a plain browser. Shapes as main/desktop-ipc.ts answers them.
 */
export type TlsFiles = { certFile: string; keyFile: string } | null;

export type DesktopStatus = {
  server: {
    state: 'stopped' | 'starting' | 'running' | 'failed';
    url: string | null;
    port: number | null;
    host: string | null;
    serveLan: boolean;
    lanUrls: string[];
    tls: TlsFiles;
    secretStore: string | null;
    error: string | null;
  };
  openAtLogin: boolean;
  secretStore: string | null;
  secretStoreLabel: string | null;
  dataDir: string;
};

export type NovaDesktop = {
  getStatus(): Promise<DesktopStatus>;
  setServeLan(on: boolean): Promise<DesktopStatus>;
  setOpenAtLogin(on: boolean): Promise<DesktopStatus>;
  copyLanUrl(): Promise<string | null>;
  setTlsFiles(files: TlsFiles): Promise<DesktopStatus>;
};

declare global {
  interface Window {
    novaDesktop?: NovaDesktop;
  }
}

/** The desktop app's calls when the console runs inside its window, else null. */
export const desktopBridge = (): NovaDesktop | null => window.novaDesktop ?? null;

/** Electron wraps a main-process error as "Error invoking remote method '…': Error: <message>": keep the message. */
export function desktopErrorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
}

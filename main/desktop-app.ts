import type { Logger } from 'pino';
import type { BrowserWindow, ElectronMain, Tray } from './electron-api.js';
import { registerDesktopIpc, type DesktopCommands, type DesktopStatus } from './desktop-ipc.js';
import type { LanAddress } from '../server/lan.js';
import { applyOpenAtLogin } from './login-item.js';
import { SECRET_STORE_LABELS, safeStorageBackend } from './safe-storage-backend.js';
import { loadPair } from '../server/tls.js';
import { isOwnCertificate } from './own-certificate.js';
import { DEFAULT_PORT, ServerLifecycle, type ServerStatus, type TlsFiles } from './server-lifecycle.js';
import { SettingsStore, type DesktopSettings } from './settings.js';
import { bringToFront, claimSingleInstance } from './single-instance.js';
import { trayMenuTemplate, trayTooltip } from './tray-menu.js';
import { consoleWindowOptions, guardNavigation, installCsp, installPermissionPolicy } from './window-security.js';

export type DesktopAppOptions = {
  dataDir: string;
  preloadPath: string;
  trayIconPath: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** How the OS should start the app at login (the binary and its arguments). */
  loginCommand: string[];
  /** Started by the login item: stay in the tray instead of opening the window. */
  startHidden: boolean;
  logger: Logger;
  lanAddresses?: () => LanAddress[];
};

/** Where the console lives on the embedded server. */
export const CONSOLE_PATH = '/app/';

/**
 * The desktop shell: wires the embedded server, the console window, the tray and the IPC calls together.
 * Every decision lives in the small modules it imports; this class only connects them to Electron.
 */
export class DesktopApp implements DesktopCommands {
  private window: BrowserWindow | null = null;
  private tray: Tray | null = null;
  private settings!: DesktopSettings;
  private readonly settingsStore: SettingsStore;
  readonly lifecycle: ServerLifecycle;
  private quitState: 'running' | 'draining' | 'drained' = 'running';
  private guardsInstalled = false;
  private ready = false;
  /** Set when the window should open as soon as the server is up (a second instance can ask during start-up). */
  private windowWanted: boolean;

  constructor(
    private readonly electron: ElectronMain,
    private readonly options: DesktopAppOptions,
  ) {
    this.settingsStore = new SettingsStore(options.dataDir);
    this.lifecycle = new ServerLifecycle({
      dataDir: options.dataDir,
      env: options.env,
      logger: options.logger,
      secretBackends: [safeStorageBackend(electron.safeStorage, options.dataDir)],
      lanAddresses: options.lanAddresses,
    });
    this.windowWanted = !options.startHidden;
  }

  /** Returns false in a second instance (which quits; the first one comes to the front). */
  async run(): Promise<boolean> {
    const { app } = this.electron;
    if (!claimSingleInstance(app, () => this.showWindow())) {
      app.quit();
      return false;
    }
    // Closing the window keeps the app in the tray: websites keep reaching the widget and the AI agent.
    app.on('window-all-closed', () => undefined);
    app.on('activate', () => this.showWindow());
    app.on('before-quit', (event) => {
      if (this.quitState === 'drained') return;
      event.preventDefault();
      if (this.quitState === 'draining') return;
      this.quitState = 'draining';
      void this.shutdown().finally(() => {
        this.quitState = 'drained';
        app.quit();
      });
    });
    // Over HTTPS the window opens the console at 127.0.0.1, which a certificate for the public name does not cover.
    app.on('certificate-error', (event, _webContents, url, _error, certificate, callback) => {
      const own = isOwnCertificate(url, certificate.data, this.serverOrigin(), this.lifecycle.status().tls);
      if (own) event.preventDefault();
      callback(own);
    });

    await app.whenReady();
    this.settings = await this.settingsStore.load();
    const preferredPort = Number(this.options.env.PORT) || this.settings.port || DEFAULT_PORT;
    registerDesktopIpc(this.electron.ipcMain, this, () => this.serverOrigin());
    this.createTray();
    this.lifecycle.onChange((status) => this.onServerStatus(status));
    await this.lifecycle.start(this.settings.serveLan, preferredPort, this.settings.tls ?? null);
    this.ready = true;
    if (this.windowWanted && this.quitState === 'running') this.showWindow();
    return true;
  }

  getStatus(): DesktopStatus {
    const server = this.lifecycle.status();
    return {
      server,
      openAtLogin: this.settings.openAtLogin,
      secretStore: server.secretStore,
      secretStoreLabel: server.secretStore ? SECRET_STORE_LABELS[server.secretStore] : null,
      dataDir: this.options.dataDir,
    };
  }

  async setServeLan(on: boolean): Promise<DesktopStatus> {
    this.settings = await this.settingsStore.update({ serveLan: on });
    await this.lifecycle.setServeLan(on);
    return this.getStatus();
  }

  async setOpenAtLogin(on: boolean): Promise<DesktopStatus> {
    await applyOpenAtLogin(this.electron.app, on, { platform: this.options.platform, command: this.options.loginCommand });
    this.settings = await this.settingsStore.update({ openAtLogin: on });
    this.refreshTray();
    return this.getStatus();
  }

  async setTlsFiles(files: TlsFiles): Promise<DesktopStatus> {
    // A pair that does not load is refused here, naming the file, rather than leaving the server stopped.
    if (files) loadPair(files);
    this.settings = await this.settingsStore.update({ tls: files });
    await this.lifecycle.setTls(files);
    return this.getStatus();
  }

  copyLanUrl(): string | null {
    const url = this.lifecycle.status().lanUrls[0] ?? null;
    if (url) this.electron.clipboard.writeText(url);
    return url;
  }

  /** Opens the console window, or brings the existing one to the front. */
  showWindow(): void {
    if (!this.ready) {
      this.windowWanted = true;
      return;
    }
    if (this.window && !this.window.isDestroyed()) return bringToFront(this.window);
    const { BrowserWindow, shell } = this.electron;
    const window = new BrowserWindow(consoleWindowOptions(this.options.preloadPath));
    this.window = window;
    if (!this.guardsInstalled) {
      // One session for every window: install the CSP and permission policy once.
      installCsp(window.webContents.session, () => this.serverOrigin());
      installPermissionPolicy(window.webContents.session);
      this.guardsInstalled = true;
    }
    guardNavigation(window.webContents, () => this.serverOrigin(), shell);
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    void this.loadConsole(window);
  }

  /** Drains the server (in-flight requests, workers, database) and finishes the settings writes before the process exits. */
  async shutdown(): Promise<void> {
    try {
      await this.lifecycle.stop();
    } catch (err) {
      this.options.logger.error({ err }, 'server did not stop cleanly');
    }
    await this.settingsStore.settled();
    this.tray?.destroy();
    this.tray = null;
  }

  private serverOrigin(): string | null {
    return this.lifecycle.status().url;
  }

  private async loadConsole(window: BrowserWindow): Promise<void> {
    const status = this.lifecycle.status();
    const target = status.url ? status.url + CONSOLE_PATH : errorPage(status);
    try {
      await window.loadURL(target);
    } catch (err) {
      this.options.logger.warn({ err, target }, 'console did not load');
    }
  }

  private onServerStatus(status: ServerStatus): void {
    this.refreshTray();
    if (status.state === 'running' && status.port && status.port !== this.settings.port) {
      // Only a preference for the next start: a failed save (folder gone, disk full) is logged, never thrown.
      this.settingsStore.update({ port: status.port }).then(
        (s) => (this.settings = s),
        (err: unknown) => this.options.logger.warn({ err }, 'the port could not be saved in the desktop settings'),
      );
    }
    // A restart on another port (or after a failure) moves the console: follow it.
    const window = this.window;
    if (status.state === 'running' && window && !window.isDestroyed() && !window.webContents.getURL().startsWith(status.url ?? '')) {
      void this.loadConsole(window);
    }
  }

  private createTray(): void {
    const { Tray, nativeImage } = this.electron;
    const image = nativeImage.createFromPath(this.options.trayIconPath);
    if (image.isEmpty()) this.options.logger.warn({ path: this.options.trayIconPath }, 'tray icon not found: the tray shows a blank icon');
    this.tray = new Tray(image);
    this.tray.on('click', () => this.showWindow());
    this.refreshTray();
  }

  private refreshTray(): void {
    if (!this.tray) return;
    const view = { status: this.lifecycle.status(), openAtLogin: this.settings?.openAtLogin ?? false };
    this.tray.setToolTip(trayTooltip(view));
    this.tray.setContextMenu(
      this.electron.Menu.buildFromTemplate(
        trayMenuTemplate(view, {
          openConsole: () => this.showWindow(),
          copyLanUrl: () => void this.copyLanUrl(),
          setServeLan: (on) => void this.setServeLan(on),
          setOpenAtLogin: (on) => void this.setOpenAtLogin(on),
          quit: () => this.electron.app.quit(),
        }),
      ),
    );
  }
}

/** Shown in the window when the embedded server could not start (the tray says the same). */
function errorPage(status: ServerStatus): string {
  const text = `Nova Chat could not start its server: ${status.error ?? 'unknown error'}`;
  const html = `<!doctype html><meta charset="utf-8"><title>Nova Chat Desktop</title><body style="font:16px system-ui;padding:2em">${escapeHtml(text)}</body>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

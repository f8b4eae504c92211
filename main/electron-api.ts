/**
 * The slice of Electron's API the desktop shell uses, typed here so `tsc` and the tests work on machines
 * where the `electron` package (an optional dependency with a binary download) is absent. Only
 * `main/electron.ts` loads the real module; everything else takes these interfaces, so tests pass fakes.
 */

export interface IpcMainEvent {
  senderFrame: { url: string } | null;
}

export interface IpcMain {
  handle(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => unknown): void;
}

export interface WebRequestDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface Session {
  webRequest: {
    onHeadersReceived(
      listener: (details: WebRequestDetails, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void,
    ): void;
  };
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
}

export interface NavigationEvent {
  preventDefault(): void;
}

export interface WebContents {
  session: Session;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: NavigationEvent) => void): void;
  getURL(): string;
}

export interface WebPreferences {
  preload: string;
  contextIsolation: boolean;
  nodeIntegration: boolean;
  sandbox: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  webviewTag: boolean;
  spellcheck: boolean;
}

export interface BrowserWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: boolean;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: WebPreferences;
}

export interface BrowserWindow {
  webContents: WebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isVisible(): boolean;
  isDestroyed(): boolean;
  once(event: 'ready-to-show', listener: () => void): void;
  on(event: 'closed', listener: () => void): void;
}

export interface BrowserWindowConstructor {
  new (options: BrowserWindowOptions): BrowserWindow;
}

export interface MenuItemOptions {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
}

export interface Menu {
  readonly __menu?: never;
}

export interface MenuStatic {
  buildFromTemplate(template: MenuItemOptions[]): Menu;
}

export interface NativeImage {
  isEmpty(): boolean;
}

export interface NativeImageStatic {
  createFromPath(path: string): NativeImage;
}

export interface Tray {
  setToolTip(text: string): void;
  setContextMenu(menu: Menu): void;
  on(event: 'click', listener: () => void): void;
  destroy(): void;
}

export interface TrayConstructor {
  new (image: NativeImage): Tray;
}

export interface Shell {
  openExternal(url: string): Promise<void>;
}

export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export interface Clipboard {
  writeText(text: string): void;
}

export interface QuitEvent {
  preventDefault(): void;
}

export interface App {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): void;
  on(event: 'before-quit', listener: (event: QuitEvent) => void): void;
  on(event: 'window-all-closed' | 'activate', listener: () => void): void;
  on(
    event: 'certificate-error',
    listener: (
      event: NavigationEvent,
      webContents: unknown,
      url: string,
      error: string,
      certificate: { data: string },
      callback: (trust: boolean) => void,
    ) => void,
  ): void;
  whenReady(): Promise<void>;
  quit(): void;
  exit(code?: number): void;
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  getPath(name: 'exe'): string;
  readonly isPackaged: boolean;
}

/** Everything main/ uses from the `electron` module. */
export interface ElectronMain {
  app: App;
  BrowserWindow: BrowserWindowConstructor;
  Tray: TrayConstructor;
  Menu: MenuStatic;
  shell: Shell;
  safeStorage: SafeStorage;
  nativeImage: NativeImageStatic;
  ipcMain: IpcMain;
  clipboard: Clipboard;
}

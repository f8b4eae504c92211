import { EventEmitter } from 'node:events';
import type {
  BrowserWindowOptions,
  ElectronMain,
  IpcMainEvent,
  MenuItemOptions,
  NavigationEvent,
  SafeStorage,
  Session,
  WebRequestDetails,
} from '../electron-api.js';
import { fakeSafeStorage } from './fake-safe-storage.js';

type HeadersListener = (details: WebRequestDetails, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;

/** One shared session, as Electron's default session is. */
class FakeSession implements Session {
  headersListener: HeadersListener | null = null;
  permissionHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  webRequest = { onHeadersReceived: (listener: HeadersListener) => void (this.headersListener = listener) };
  setPermissionRequestHandler(handler: NonNullable<FakeSession['permissionHandler']>) {
    this.permissionHandler = handler;
  }
}

class FakeWebContents extends EventEmitter {
  url = '';
  openHandler: ((d: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  constructor(readonly session: FakeSession) {
    super();
  }
  setWindowOpenHandler(handler: NonNullable<FakeWebContents['openHandler']>) {
    this.openHandler = handler;
  }
  getURL() {
    return this.url;
  }
  /** Simulates the page trying to navigate; true when the navigation was let through. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    const e: NavigationEvent = { preventDefault: () => void (prevented = true) };
    this.emit(event, e, url);
    return !prevented;
  }
}

export class FakeWindow extends EventEmitter {
  static all: FakeWindow[] = [];
  static session = new FakeSession();
  readonly webContents = new FakeWebContents(FakeWindow.session);
  loaded: string[] = [];
  minimized = false;
  visible = false;
  destroyed = false;
  focusCount = 0;
  constructor(readonly options: BrowserWindowOptions) {
    super();
    FakeWindow.all.push(this);
    queueMicrotask(() => this.emit('ready-to-show'));
  }
  async loadURL(url: string) {
    this.loaded.push(url);
    this.webContents.url = url;
  }
  show() {
    this.visible = true;
  }
  focus() {
    this.focusCount++;
  }
  restore() {
    this.minimized = false;
  }
  isMinimized() {
    return this.minimized;
  }
  isVisible() {
    return this.visible;
  }
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    this.destroyed = true;
    this.emit('closed');
  }
}

export class FakeTray extends EventEmitter {
  static current: FakeTray | null = null;
  tooltip = '';
  menu: MenuItemOptions[] = [];
  destroyed = false;
  constructor(readonly image: unknown) {
    super();
    FakeTray.current = this;
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: { template?: MenuItemOptions[] }) {
    this.menu = menu.template ?? [];
  }
  destroy() {
    this.destroyed = true;
  }
  /** Clicks the menu item with this label. */
  click(label: string) {
    const item = this.menu.find((i) => i.label === label);
    if (!item?.click) throw new Error(`no clickable tray item "${label}"`);
    item.click();
  }
}

export class FakeApp extends EventEmitter {
  quitCalls = 0;
  exitCode: number | null = null;
  loginItem: { openAtLogin: boolean; args?: string[] } | null = null;
  readonly isPackaged = false;
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  constructor(private readonly lockGranted: boolean) {
    super();
    this.readyResolve();
  }
  requestSingleInstanceLock() {
    return this.lockGranted;
  }
  whenReady() {
    return this.ready;
  }
  /** Like Electron: emits before-quit; quits unless a listener prevented it. */
  quit() {
    this.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => void (prevented = true) });
    if (!prevented) this.exitCode = 0;
  }
  exit(code = 0) {
    this.exitCode = code;
  }
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }) {
    this.loginItem = settings;
  }
  getPath() {
    return '/opt/nova/nova-chat-desktop';
  }
}

export class FakeIpcMain {
  handlers = new Map<string, (event: IpcMainEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, listener);
  }
  /** Calls a handler as a frame at `frameUrl` would through the preload. */
  async invoke(channel: string, frameUrl: string, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: { url: frameUrl } }, ...args);
  }
}

export type FakeElectron = ElectronMain & {
  app: FakeApp;
  ipcMain: FakeIpcMain;
  opened: string[];
  clipboardText: string | null;
};

export function fakeElectron(options: { lockGranted?: boolean; safeStorage?: SafeStorage } = {}): FakeElectron {
  FakeWindow.all = [];
  FakeWindow.session = new FakeSession();
  FakeTray.current = null;
  const opened: string[] = [];
  const fake = {
    app: new FakeApp(options.lockGranted ?? true),
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: MenuItemOptions[]) => ({ template }) },
    shell: { openExternal: async (url: string) => void opened.push(url) },
    safeStorage: options.safeStorage ?? fakeSafeStorage({ available: false }),
    nativeImage: { createFromPath: () => ({ isEmpty: () => false }) },
    ipcMain: new FakeIpcMain(),
    clipboard: { writeText: (text: string) => void (fake.clipboardText = text) },
    opened,
    clipboardText: null as string | null,
  };
  return fake as unknown as FakeElectron;
}

// A stand-in for the `electron` module, put on NODE_PATH by main/bundle.test.ts, so the built main process
// (dist/main/main.js) can run under plain Node where no Electron binary exists. It implements the calls
// main/electron-api.ts declares and reports what the app asked for as "stand-in:" lines on stdout.
const { EventEmitter } = require('node:events');

const report = (line) => process.stdout.write(`stand-in: ${line}\n`);

class App extends EventEmitter {
  isPackaged = false;
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exit(0);
  }
  exit(code = 0) {
    report(`exit ${code}`);
    process.exit(code);
  }
  setLoginItemSettings() {}
  getPath() {
    return process.execPath;
  }
}

const session = {
  webRequest: { onHeadersReceived: () => report('csp installed') },
  setPermissionRequestHandler: () => {},
};

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    const p = options.webPreferences;
    report(`window contextIsolation=${p.contextIsolation} nodeIntegration=${p.nodeIntegration} sandbox=${p.sandbox}`);
    this.url = '';
    this.webContents = { session, setWindowOpenHandler() {}, on() {}, getURL: () => this.url };
    setImmediate(() => this.emit('ready-to-show'));
  }
  async loadURL(url) {
    this.url = url;
    report(`loadURL ${url}`);
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isVisible() {
    return true;
  }
  isDestroyed() {
    return false;
  }
}

class Tray {
  setToolTip(text) {
    report(`tray ${JSON.stringify(text)}`);
  }
  setContextMenu() {}
  on() {}
  destroy() {}
}

module.exports = {
  app: new App(),
  BrowserWindow,
  Tray,
  Menu: { buildFromTemplate: (template) => ({ template }) },
  shell: { openExternal: async () => {} },
  safeStorage: {
    isEncryptionAvailable: () => false,
    encryptString: () => {
      throw new Error('unavailable');
    },
    decryptString: () => {
      throw new Error('unavailable');
    },
  },
  nativeImage: { createFromPath: () => ({ isEmpty: () => false }) },
  ipcMain: { handle() {} },
  clipboard: { writeText() {} },
};

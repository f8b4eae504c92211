import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { BrowserWindowOptions } from './electron-api.js';
import { bringToFront, claimSingleInstance } from './single-instance.js';
import { FakeWindow } from './testing/fake-electron.js';

class LockApp extends EventEmitter {
  constructor(private readonly granted: boolean) {
    super();
  }
  requestSingleInstanceLock() {
    return this.granted;
  }
}

const someWindow = () => new FakeWindow({} as BrowserWindowOptions);

describe('single instance', () => {
  it('lets the first instance run and focuses its window when a second one starts', () => {
    const app = new LockApp(true);
    const window = someWindow();
    window.minimized = true;
    expect(claimSingleInstance(app, () => bringToFront(window))).toBe(true);
    app.emit('second-instance');
    expect(window.minimized).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.focusCount).toBe(1);
  });

  it('tells a second instance to quit and does not listen for others', () => {
    const app = new LockApp(false);
    let shown = 0;
    expect(claimSingleInstance(app, () => shown++)).toBe(false);
    expect(app.listenerCount('second-instance')).toBe(0);
  });

  it('shows a window hidden in the tray before focusing it', () => {
    const window = someWindow();
    bringToFront(window);
    expect(window).toMatchObject({ visible: true, minimized: false, focusCount: 1 });
  });
});

import type { MenuItemOptions } from './electron-api.js';
import { SECRET_STORE_LABELS } from './safe-storage-backend.js';
import type { ServerStatus } from './server-lifecycle.js';

export type TrayActions = {
  openConsole(): void;
  copyLanUrl(): void;
  setServeLan(on: boolean): void;
  setOpenAtLogin(on: boolean): void;
  quit(): void;
};

export type TrayView = { status: ServerStatus; openAtLogin: boolean };

export function statusLine(status: ServerStatus): string {
  switch (status.state) {
    case 'running':
      return `Running at ${status.url}`;
    case 'starting':
      return 'Starting…';
    case 'failed':
      return `Not running: ${status.error ?? 'unknown error'}`;
    case 'stopped':
      return 'Stopped';
  }
}

export function trayTooltip({ status }: TrayView): string {
  const lines = ['Nova Chat Desktop', statusLine(status)];
  if (status.lanUrls[0]) lines.push(`LAN: ${status.lanUrls[0]}`);
  return lines.join('\n');
}

/** The tray menu: status lines (read-only), then the switches and commands. */
export function trayMenuTemplate({ status, openAtLogin }: TrayView, actions: TrayActions): MenuItemOptions[] {
  const info = (label: string): MenuItemOptions => ({ label, enabled: false });
  const lan: MenuItemOptions[] = status.serveLan
    ? status.lanUrls.length
      ? [info(`LAN address: ${status.lanUrls[0]}`), { label: 'Copy LAN address', click: actions.copyLanUrl }]
      : [info('LAN address: no network connection')]
    : [info('LAN: this computer only')];
  return [
    info(statusLine(status)),
    ...lan,
    ...(status.secretStore ? [info(`Secrets: ${SECRET_STORE_LABELS[status.secretStore]}`)] : []),
    { type: 'separator' },
    { label: 'Open console', click: actions.openConsole, enabled: status.state === 'running' },
    {
      label: 'Serve the LAN',
      type: 'checkbox',
      checked: status.serveLan,
      enabled: status.state !== 'starting',
      click: () => actions.setServeLan(!status.serveLan),
    },
    { label: 'Open at login', type: 'checkbox', checked: openAtLogin, click: () => actions.setOpenAtLogin(!openAtLogin) },
    { type: 'separator' },
    { label: 'Quit Nova Chat', click: actions.quit },
  ];
}

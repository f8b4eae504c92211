/** IPC channel names shared by the main process and the preload (no imports: the preload bundles this). */
export const IPC = {
  getStatus: 'nova-desktop:get-status',
  setServeLan: 'nova-desktop:set-serve-lan',
  setOpenAtLogin: 'nova-desktop:set-open-at-login',
  copyLanUrl: 'nova-desktop:copy-lan-url',
  setTlsFiles: 'nova-desktop:set-tls-files',
} as const;

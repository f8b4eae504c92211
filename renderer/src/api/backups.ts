/** The instance's backups (`/nc-api/v1/instance/backups`, instance owner only): list with the last result, write, download, delete. */
import { api, downloadFile, pathId, send } from './client.js';
import type { Backup, BackupList } from './types.js';

export const listBackups = (signal?: AbortSignal): Promise<BackupList> =>
  send(api().GET('/nc-api/v1/instance/backups', { params: { query: { per_page: 100 } }, signal }));

export const createBackup = (): Promise<Backup> => send(api().POST('/nc-api/v1/instance/backups'));

export const deleteBackup = async (id: number): Promise<void> => {
  await send(api().DELETE('/nc-api/v1/instance/backups/{id}', { params: { path: pathId(id) } }));
};

/** Saves the backup file through the browser's download. */
export const downloadBackup = (backup: Backup): Promise<void> =>
  downloadFile(`/nc-api/v1/instance/backups/${backup.id}/download`, backup.filename);

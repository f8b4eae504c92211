/** The instance's backups (`/nc-api/v1/instance/backups`, instance owner only): list with the last result, write, download, delete. */
import { api, pathId, send, tokenStore } from './client.js';
import { errorFromBody } from './errors.js';
import type { Backup, BackupList } from './types.js';

export const listBackups = (signal?: AbortSignal): Promise<BackupList> =>
  send(api().GET('/nc-api/v1/instance/backups', { params: { query: { per_page: 100 } }, signal }));

export const createBackup = (): Promise<Backup> => send(api().POST('/nc-api/v1/instance/backups'));

export const deleteBackup = async (id: number): Promise<void> => {
  await send(api().DELETE('/nc-api/v1/instance/backups/{id}', { params: { path: pathId(id) } }));
};

/** Saves the file through the browser's download (the token travels in a header, so not a plain link). */
export async function downloadBackup(backup: Backup): Promise<void> {
  const response = await fetch(`/nc-api/v1/instance/backups/${backup.id}/download`, {
    headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` },
  });
  if (!response.ok) throw errorFromBody(response.status, await response.json().catch(() => undefined));
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: backup.filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../../../test/helpers/server.js';
import { consoleTestServer, LIVE, openConsole } from '../../testing/console.js';
import { captureDownloads } from '../../testing/downloads.js';

/** The Backups page against a real server: the instance owner backs up, downloads the file and deletes it. */
const t = consoleTestServer();
/** The first account of an instance owns it, and only the instance owner has backups. */
let owner: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  owner = await signUp(t);
});

describe('backups page', { timeout: 60_000 }, () => {
  it('backs up, downloads the file byte for byte under its name, and deletes it', async () => {
    const downloads = captureDownloads();
    try {
      const { user } = openConsole(t, owner.token, '/backups');
      expect((await screen.findByTestId('nav-backup-status', undefined, LIVE)).textContent).toContain('No backup yet');
      await user.click(await screen.findByTestId('backup-now', undefined, LIVE));
      const row = await screen.findByTestId('backup-row', undefined, LIVE);
      expect(screen.getByTestId('backup-health').textContent).toContain('Last backup just now');
      const [listed] = (await t.get('/nc-api/v1/instance/backups', owner.token)).body.data;

      await user.click(within(row).getByRole('button', { name: `Download ${listed.filename}` }));
      await waitFor(() => expect(downloads.saved).toHaveLength(1), LIVE);
      expect(downloads.saved[0]!.name).toBe(listed.filename);
      const file = Buffer.from(await downloads.saved[0]!.blob.arrayBuffer());
      const served = await fetch(`${t.url}/nc-api/v1/instance/backups/${listed.id}/download`, {
        headers: { authorization: `Bearer ${owner.token}` },
      });
      expect(file.length).toBe(listed.size);
      expect(file.equals(Buffer.from(await served.arrayBuffer()))).toBe(true);

      await user.click(within(row).getByRole('button', { name: `Delete backup ${listed.id}` }));
      await user.click(await screen.findByRole('button', { name: 'Delete' }));
      await waitFor(() => expect(screen.queryByTestId('backup-row')).toBeNull(), LIVE);
      expect((await t.get('/nc-api/v1/instance/backups', owner.token)).body.data).toEqual([]);
      // Switch away only once the live connection is up (closing a socket still connecting is an error in jsdom).
      await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
    } finally {
      downloads.restore();
    }
  });

  it('says why a download failed instead of saving an error as the file', async () => {
    const downloads = captureDownloads();
    try {
      const { user } = openConsole(t, owner.token, '/backups');
      await user.click(await screen.findByTestId('backup-now', undefined, LIVE));
      const row = await screen.findByTestId('backup-row', undefined, LIVE);
      const [listed] = (await t.get('/nc-api/v1/instance/backups', owner.token)).body.data;
      // Deleted meanwhile (another tab, another owner session): the page still lists it.
      expect((await t.del(`/nc-api/v1/instance/backups/${listed.id}`, owner.token)).status).toBe(204);
      await user.click(within(row).getByRole('button', { name: `Download ${listed.filename}` }));
      expect(await screen.findByText(/not found/i, undefined, LIVE)).toBeTruthy();
      expect(downloads.saved).toEqual([]);
      await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
    } finally {
      downloads.restore();
    }
  });
});

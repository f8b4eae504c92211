// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ServerCalls } from '../../../../test/helpers/server.js';
import { consoleTestServers, LIVE, openConsole, ownerWithWebsite } from '../../testing/console.js';

/** The account page's public URL section against a server started with NOVA_PUBLIC_URL (the console's API client keeps its first origin, so a file of its own). */
const server = consoleTestServers();
const snippet = async (t: ServerCalls, token: string) =>
  (await t.get('/nc-api/v1/account/domains', token)).body.data[0].widget_code as string;

describe('account page: public URL set by the server', { timeout: 60_000 }, () => {
  it('says so when the server’s NOVA_PUBLIC_URL is the one in use', async () => {
    const t = await server({ NOVA_PUBLIC_URL: 'https://proxy.example.com' });
    const owner = await ownerWithWebsite(t);
    openConsole(t, owner.token, '/account');
    const section = within(await screen.findByTestId('instance-public-url', undefined, LIVE));
    expect((await section.findByTestId('public-url-from-server', undefined, LIVE)).textContent).toContain(
      'NOVA_PUBLIC_URL=https://proxy.example.com',
    );
    expect(section.getByTestId('public-url-in-use').textContent).toBe('https://proxy.example.com');
    expect(await snippet(t, owner.token)).toContain('src="https://proxy.example.com/widget.js"');
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
  });
});

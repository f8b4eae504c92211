// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ServerCalls } from '../../../../test/helpers/server.js';
import { consoleTestServers, LIVE, openConsole, ownerWithWebsite } from '../../testing/console.js';

/** The account page's public URL section, in jsdom against a real server (NOVA_PUBLIC_URL set: InstancePublicUrlFromServer.test.tsx). */
const server = consoleTestServers();
const snippet = async (t: ServerCalls, token: string) =>
  (await t.get('/nc-api/v1/account/domains', token)).body.data[0].widget_code as string;

describe('account page: public URL', { timeout: 60_000 }, () => {
  it('lets the instance owner set the address snippets use, refuses a malformed one under the field, and clears it', async () => {
    const t = await server();
    const owner = await ownerWithWebsite(t);
    const { user } = openConsole(t, owner.token, '/account');
    const section = within(await screen.findByTestId('instance-public-url', undefined, LIVE));
    await waitFor(() => expect(section.getByTestId('public-url-in-use').textContent).toBe(t.url), LIVE);
    expect(section.queryByTestId('public-url-from-server')).toBeNull();

    const input = section.getByLabelText('Public URL');
    await user.type(input, 'chat.shop.example');
    await user.click(section.getByRole('button', { name: 'Save' }));
    expect(await section.findByText(/must be an http\(s\) base URL/, undefined, LIVE)).toBeTruthy();
    expect(await snippet(t, owner.token)).toContain(`src="${t.url}/widget.js"`);

    await user.clear(input);
    await user.type(input, 'https://chat.shop.example');
    await user.click(section.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(section.getByTestId('public-url-in-use').textContent).toBe('https://chat.shop.example'), LIVE);
    expect(await snippet(t, owner.token)).toContain('src="https://chat.shop.example/widget.js"');

    await user.clear(section.getByLabelText('Public URL'));
    await user.click(section.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(section.getByTestId('public-url-in-use').textContent).toBe(t.url), LIVE);
    expect(await snippet(t, owner.token)).toContain(`src="${t.url}/widget.js"`);
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
  });
});

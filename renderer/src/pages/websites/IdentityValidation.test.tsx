// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { consoleTestServer, LIVE, openConsole, ownerWithWebsite } from '../../testing/console.js';

/** The websites page's identity validation section, in jsdom against a real server. */
const t = consoleTestServer();

describe('websites page: identity validation', { timeout: 60_000 }, () => {
  it("shows an admin the website's identity secret on request and rotates it; an agent does not get the section", async () => {
    const owner = await ownerWithWebsite(t);
    const path = `/nc-api/v1/account/domains/${owner.domainId}/identity-validation`;
    const { user } = openConsole(t, owner.token, '/settings/websites');
    const section = within(await screen.findByTestId('identity-validation', undefined, LIVE));
    expect(section.queryByTestId('identity-secret')).toBeNull();

    await user.click(section.getByRole('button', { name: 'Show identity secret' }));
    const shown = await section.findByTestId('identity-secret', undefined, LIVE);
    const secret = (await t.get(path, owner.token)).body.identity_secret;
    expect(shown.textContent).toBe(secret);

    await user.click(section.getByRole('button', { name: 'Rotate secret' }));
    await user.click(await screen.findByRole('button', { name: 'Rotate' }));
    await waitFor(() => expect(section.getByTestId('identity-secret').textContent).not.toBe(secret), LIVE);
    expect(section.getByTestId('identity-secret').textContent).toBe((await t.get(path, owner.token)).body.identity_secret);

    // Switch users only once the live connection is up (closing a socket still connecting is an error in jsdom).
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
    const email = `agent-${Date.now()}@example.com`;
    await t.post('/nc-api/v1/agents', { type: 'human', name: 'Agent', email, password: 'AgentPass123!', role: 'agent' }, owner.token);
    const agent = await t.post('/nc-api/v1/auth/login', { email, password: 'AgentPass123!' });
    openConsole(t, agent.body.token, '/settings/websites');
    await screen.findByTestId('website-item', undefined, LIVE);
    expect(screen.queryByTestId('identity-validation')).toBeNull();
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
  });
});

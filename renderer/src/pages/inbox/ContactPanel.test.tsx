// @vitest-environment jsdom
import { createHmac } from 'node:crypto';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { consoleTestServer, LIVE, openConsole, ownerWithWebsite, visitorStarts } from '../../testing/console.js';

/**
 * The inbox's contact panel against a real server: a typed e-mail nobody vouched for is marked, in the
 * conversation's header and in the history, and never passes for the verified contact's own history.
 */
const t = consoleTestServer();

const widgetConversation = async (websiteToken: string, contact: Record<string, string>, message: string) =>
  (await visitorStarts(t, websiteToken, contact, message)).id;

describe('inbox contact panel', { timeout: 60_000 }, () => {
  it('marks an unverified e-mail and the conversations that share it', async () => {
    const owner = await ownerWithWebsite(t);
    const secret = (await t.get(`/nc-api/v1/account/domains/${owner.domainId}/identity-validation`, owner.token)).body.identity_secret;
    const email = 'ann@example.com';
    const verified = await widgetConversation(
      owner.websiteToken,
      { name: 'Ann Smith', email, identifier_hash: createHmac('sha256', secret).update(email).digest('hex') },
      'About my invoice',
    );
    const claimed = await widgetConversation(owner.websiteToken, { name: 'Ann?', email }, 'What did I order last time?');

    openConsole(t, owner.token, `/inbox/${claimed}`);
    const header = within(await screen.findByTestId('conversation-view', undefined, LIVE));
    await waitFor(() => expect(header.getByTestId('conversation-contact').textContent).toBe('Ann?'), LIVE);
    expect(header.getAllByTestId('unverified-badge').length).toBeGreaterThan(0);
    const panel = within(screen.getByTestId('contact-panel'));
    await panel.findByText(`#${verified}`, { exact: false }, LIVE);
    expect(panel.getByTestId('unverified-history-note')).toBeTruthy();

    // From Ann's verified conversation, the claim shows up marked, not as her own history.
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
    openConsole(t, owner.token, `/inbox/${verified}`);
    await waitFor(() => expect(screen.getByTestId('conversation-contact').textContent).toBe('Ann Smith'), LIVE);
    const annPanel = within(screen.getByTestId('contact-panel'));
    const entry = await annPanel.findByRole('link', { name: new RegExp(`#${claimed}`) }, LIVE);
    expect(within(entry).getByTestId('unverified-badge').textContent).toBe('unverified e-mail');
    expect(annPanel.queryByTestId('unverified-history-note')).toBeNull();
    // Ann's own name carries no badge.
    expect(within(screen.getByTestId('conversation-view')).queryAllByTestId('unverified-badge')).toHaveLength(0);
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
  });
});

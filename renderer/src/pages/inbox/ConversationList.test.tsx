// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../../../test/helpers/server.js';
import { consoleTestServer, inboxRowNames, LIVE, openConsole, ownerWithWebsite, visitorStarts } from '../../testing/console.js';

/**
 * The inbox's conversation list in jsdom against a real server: its rows come from the API, its live
 * changes from the real realtime socket. Each test is a new account, so their conversations do not mix.
 */
const t = consoleTestServer();
/** The first account owns the instance and may move others to a larger plan. */
let instanceOwner: string;
beforeAll(async () => {
  instanceOwner = (await signUp(t)).token;
});

const showsNames = async (names: string[]) => waitFor(() => expect(inboxRowNames()).toEqual(names), LIVE);

describe('inbox conversation list', { timeout: 60_000 }, () => {
  it('lists the active conversations newest first and narrows them by status, website and assignee', async () => {
    const owner = await ownerWithWebsite(t);
    await t.put(`/nc-api/v1/accounts/${owner.accountId}/plan`, { plan: 'pro' }, instanceOwner); // two websites
    const blog = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://blog.example.com' }, owner.token);
    const ann = await visitorStarts(t, owner.websiteToken, { name: 'Ann' }, 'Where is my parcel?');
    const bob = await visitorStarts(t, owner.websiteToken, { name: 'Bob' }, 'Do you ship to Canada?');
    const cy = await visitorStarts(t, owner.websiteToken, { name: 'Cy' }, 'Thanks, all sorted');
    await t.post(`/api/v1/widget/conversations?website_token=${blog.body.website_token}`, {
      contact: { name: 'Dee' },
      message: 'I love the blog',
    });
    await t.post(`/nc-api/v1/conversations/${bob.id}/status`, { status: 'pending' }, owner.token);
    await t.post(`/nc-api/v1/conversations/${cy.id}/status`, { status: 'resolved' }, owner.token);
    await t.post(`/nc-api/v1/conversations/${ann.id}/assign`, { agent_id: owner.agentId }, owner.token);

    const { user } = openConsole(t, owner.token, '/inbox');
    // Active (open or pending) is what the team still has to answer; resolved ones wait under their own tab.
    await showsNames(['Dee', 'Bob', 'Ann']);
    expect(screen.getByText('3 conversations')).toBeTruthy();

    await user.click(screen.getByRole('radio', { name: 'Resolved' }));
    await showsNames(['Cy']);
    await user.click(screen.getByRole('radio', { name: 'All' }));
    await showsNames(['Dee', 'Cy', 'Bob', 'Ann']);

    await user.click(screen.getByRole('textbox', { name: 'Website filter' }));
    await user.click(await screen.findByRole('option', { name: 'https://blog.example.com' }));
    await showsNames(['Dee']);
    await user.click(screen.getByRole('textbox', { name: 'Website filter' }));
    await user.click(await screen.findByRole('option', { name: 'https://shop.example.com' }));
    await showsNames(['Cy', 'Bob', 'Ann']);

    await user.click(screen.getByRole('textbox', { name: 'Assignee filter' }));
    await user.click(await screen.findByRole('option', { name: 'Assigned to me' }));
    await showsNames(['Ann']);
    await user.click(screen.getByRole('textbox', { name: 'Assignee filter' }));
    await user.click(await screen.findByRole('option', { name: 'Unassigned' }));
    await showsNames(['Cy', 'Bob']);
  });

  it('shows a new conversation, a new message and a resolution the moment they happen, without a reload', async () => {
    const owner = await ownerWithWebsite(t);
    const ann = await visitorStarts(t, owner.websiteToken, { name: 'Ann' }, 'Where is my parcel?');
    await visitorStarts(t, owner.websiteToken, { name: 'Bob' }, 'Do you ship to Canada?');
    openConsole(t, owner.token, '/inbox');
    await showsNames(['Bob', 'Ann']);
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);

    // A new visitor: their row comes in on top, unread, and the count follows.
    await visitorStarts(t, owner.websiteToken, { name: 'Cy' }, 'Is the shop open on Sunday?');
    await showsNames(['Cy', 'Bob', 'Ann']);
    const cyRow = screen.getByRole('button', { name: 'Conversation with Cy, 1 unread' });
    expect(cyRow.textContent).toContain('Is the shop open on Sunday?');
    expect(screen.getByText('3 conversations')).toBeTruthy();

    // Ann writes again: her conversation moves to the top with her words as its preview.
    const again = await t.post(`/api/v1/widget/messages?website_token=${owner.websiteToken}&conversation_token=${ann.conversationToken}`, {
      conversation_id: ann.id,
      content: 'It has still not arrived',
    });
    expect(again.status).toBe(201);
    await showsNames(['Ann', 'Cy', 'Bob']);
    expect(screen.getByRole('button', { name: /^Conversation with Ann/ }).textContent).toContain('It has still not arrived');

    // A teammate resolves Bob's conversation elsewhere: it leaves the active list.
    const bobId = (await t.get('/nc-api/v1/conversations?status=open', owner.token)).body.data.find(
      (c: { contact: { name: string } }) => c.contact.name === 'Bob',
    ).id;
    await t.post(`/nc-api/v1/conversations/${bobId}/status`, { status: 'resolved' }, owner.token);
    await showsNames(['Ann', 'Cy']);
    expect(screen.getByText('2 conversations')).toBeTruthy();
  });

  it('loads older conversations on request, past the first page', async () => {
    const owner = await ownerWithWebsite(t);
    for (let n = 1; n <= 52; n += 1)
      await t.post(
        '/nc-api/v1/conversations',
        { domain_id: owner.domainId, contact: { name: `Visitor ${n}` }, message: `question ${n}` },
        owner.token,
      );

    const { user } = openConsole(t, owner.token, '/inbox');
    await waitFor(() => expect(inboxRowNames()).toHaveLength(50), LIVE);
    expect(screen.getByText('52 conversations')).toBeTruthy();
    expect(inboxRowNames()).not.toContain('Visitor 1');

    await user.click(screen.getByRole('button', { name: 'Load more (2 older)' }));
    await waitFor(() => expect(inboxRowNames()).toHaveLength(52), LIVE);
    expect(inboxRowNames().slice(-2)).toEqual(['Visitor 2', 'Visitor 1']);
    expect(screen.queryByRole('button', { name: /^Load more/ })).toBeNull();
  });
});

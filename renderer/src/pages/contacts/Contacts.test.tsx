// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { consoleTestServer, LIVE, openConsole, ownerWithWebsite, visitorStarts } from '../../testing/console.js';

/** The Contacts pages against a real server: search, a contact's conversations, and editing them. */
// More than a page of contacts comes from one address here: the widget's per-address limit (20 an hour) is raised.
const t = consoleTestServer({ NOVA_WIDGET_CONVERSATIONS_PER_IP: '1000' });

const names = () => screen.queryAllByTestId('contact-row').map((row) => row.querySelector('td')!.textContent);

describe('contacts', { timeout: 60_000 }, () => {
  it('are searched, open to their conversations, and are edited', async () => {
    const owner = await ownerWithWebsite(t);
    const start = async (contact: Record<string, string>, message: string) =>
      (await visitorStarts(t, owner.websiteToken, contact, message)).id;
    const first = await start({ name: 'Ann Smith', email: 'ann@example.com' }, 'Where is my parcel?');
    await start({ name: 'Bob Jones', email: 'bob@example.com' }, 'Do you ship to Canada?');

    const { user } = openConsole(t, owner.token, '/contacts');
    await waitFor(() => expect(names()).toEqual(['Bob Jones', 'Ann Smith']), LIVE);
    await user.type(screen.getByRole('textbox', { name: 'Search contacts' }), 'ann@');
    await waitFor(() => expect(names()).toEqual(['Ann Smith']), LIVE);
    // A typed e-mail nobody vouched for is marked.
    expect(within(screen.getByTestId('contact-row')).getByTestId('unverified-badge')).toBeTruthy();

    await user.click(screen.getByRole('link', { name: 'Ann Smith' }));
    const conversations = within(await screen.findByTestId('contact-conversations', undefined, LIVE));
    expect(conversations.getByRole('link', { name: new RegExp(`#${first} Where is my parcel\\?`) })).toBeTruthy();

    const email = screen.getByRole('textbox', { name: 'E-mail' });
    await user.clear(email);
    await user.type(email, 'not an address');
    await user.click(screen.getByRole('button', { name: 'Save contact' }));
    expect(await screen.findByText('Not an e-mail address')).toBeTruthy();
    await user.clear(email);
    await user.type(email, 'Ann.Smith@Example.com');
    await user.clear(screen.getByRole('textbox', { name: 'Name' }));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Ann Smith-Lee');
    await user.type(screen.getByRole('textbox', { name: /Notes/ }), 'Prefers e-mail. VIP since 2024.');
    await user.click(screen.getByRole('button', { name: 'Save contact' }));
    await waitFor(() => expect(screen.getByTestId('contact-title').textContent).toBe('Ann Smith-Lee'), LIVE);

    const contactId = (await t.get(`/nc-api/v1/conversations/${first}`, owner.token)).body.contact.id;
    const stored = (await t.get(`/nc-api/v1/contacts/${contactId}`, owner.token)).body;
    expect(stored).toMatchObject({ name: 'Ann Smith-Lee', email: 'ann.smith@example.com', notes: 'Prefers e-mail. VIP since 2024.' });
  });

  it('beyond the first 50 load on request, each once, and a search starts from its own first page', async () => {
    const owner = await ownerWithWebsite(t);
    const visitor = (n: number) => `Visitor ${String(n).padStart(2, '0')}`;
    for (let n = 1; n <= 55; n++) await visitorStarts(t, owner.websiteToken, { name: visitor(n) }, 'Hi');
    const newestFirst = Array.from({ length: 55 }, (_, i) => visitor(55 - i));
    const { user } = openConsole(t, owner.token, '/contacts');
    await waitFor(() => expect(names()).toEqual(newestFirst.slice(0, 50)), LIVE);

    // One more writes in meanwhile: the next page has shifted by one, no contact shows twice, and the newcomer goes on top.
    await visitorStarts(t, owner.websiteToken, { name: 'Late Larry' }, 'Hi');
    await user.click(screen.getByRole('button', { name: 'Load more (5 more)' }));
    await waitFor(() => expect(names()).toEqual(['Late Larry', ...newestFirst]), LIVE);
    expect(screen.queryByRole('button', { name: /^Load more/ })).toBeNull();

    await user.type(screen.getByRole('textbox', { name: 'Search contacts' }), 'Visitor 0');
    await waitFor(() => expect(names()).toEqual(newestFirst.slice(46)), LIVE);
    expect(screen.queryByRole('button', { name: /^Load more/ })).toBeNull();
  });
});

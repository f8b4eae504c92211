// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { consoleTestServer, LIVE, openConsole, ownerWithWebsite, visitorStarts } from '../../testing/console.js';
import { captureDownloads } from '../../testing/downloads.js';

/**
 * The inbox search box against a real server: results with the matched words marked, never the message's markup;
 * and the Export menu, which downloads the server's file.
 */
// More than a page of conversations comes from one address here: the widget's per-address limit (20 an hour) is raised.
const t = consoleTestServer({ NOVA_WIDGET_CONVERSATIONS_PER_IP: '1000' });

describe('inbox search', { timeout: 60_000 }, () => {
  it('finds conversations by their words, shows the match as text, and opens one', async () => {
    const owner = await ownerWithWebsite(t);
    const start = async (name: string, message: string) => (await visitorStarts(t, owner.websiteToken, { name }, message)).id;
    const ann = await start('Ann', 'I want a refund <img src=x onerror="window.pwned=1"> for order 4711');
    await start('Bob', 'Do you ship to Canada?');

    const { user } = openConsole(t, owner.token, '/inbox');
    await screen.findByRole('navigation', { name: 'Conversations' }, LIVE);
    await user.type(screen.getByRole('textbox', { name: 'Search conversations' }), 'refund');
    const results = within(await screen.findByRole('list', { name: 'Search results' }, LIVE));
    await waitFor(() => expect(results.getAllByTestId('search-result')).toHaveLength(1), LIVE);
    const snippet = results.getByTestId('search-snippet');
    expect(Array.from(snippet.querySelectorAll('mark')).map((m) => m.textContent?.toLowerCase())).toEqual(['refund']);
    // The visitor's markup is shown as the text it is: no element made from it.
    expect(snippet.textContent).toContain('<img');
    expect(snippet.querySelector('img')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();

    await user.click(results.getByRole('listitem', { name: 'Conversation with Ann' }));
    await waitFor(() => expect(screen.getByTestId('conversation-contact').textContent).toBe('Ann'), LIVE);
    expect(location.pathname).toBe(`/app/inbox/${ann}`);

    // Clearing the box brings the list back.
    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    await screen.findByRole('navigation', { name: 'Conversations' }, LIVE);
  });

  it('loads results beyond the first 50 on request, each conversation once', async () => {
    const owner = await ownerWithWebsite(t);
    for (let n = 1; n <= 53; n++) await visitorStarts(t, owner.websiteToken, { name: `Buyer ${n}` }, `Where is my parcel number ${n}?`);
    const { user } = openConsole(t, owner.token, '/inbox');
    await screen.findByRole('navigation', { name: 'Conversations' }, LIVE);
    await user.type(screen.getByRole('textbox', { name: 'Search conversations' }), 'parcel');
    const results = within(await screen.findByRole('list', { name: 'Search results' }, LIVE));
    await waitFor(() => expect(results.getAllByTestId('search-result')).toHaveLength(50), LIVE);
    expect(results.getByText('53 found')).toBeTruthy();

    await user.click(results.getByRole('button', { name: 'Load more (3 more)' }));
    await waitFor(() => expect(results.getAllByTestId('search-result')).toHaveLength(53), LIVE);
    const shown = results.getAllByTestId('search-result').map((r) => r.getAttribute('aria-label'));
    expect(new Set(shown).size).toBe(53);
    expect(results.queryByRole('button', { name: /^Load more/ })).toBeNull();
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
  });

  it('exports every conversation as the CSV file the server streams', async () => {
    const owner = await ownerWithWebsite(t);
    await visitorStarts(t, owner.websiteToken, { name: 'Ann' }, '=HYPERLINK("http://evil.example") please');
    const downloads = captureDownloads();
    try {
      const { user } = openConsole(t, owner.token, '/inbox');
      await screen.findByRole('navigation', { name: 'Conversations' }, LIVE);
      await user.click(screen.getByRole('button', { name: 'Export' }));
      await user.click(await screen.findByRole('menuitem', { name: 'CSV (spreadsheets)' }));
      await waitFor(() => expect(downloads.saved).toHaveLength(1), LIVE);
      expect(downloads.saved[0]!.name).toMatch(/\.csv$/);
      const csv = await downloads.saved[0]!.blob.text();
      // The visitor's formula arrives as text a spreadsheet will not run.
      expect(csv).toContain(`'=HYPERLINK(`);
      expect(csv).toContain('Ann');
    } finally {
      downloads.restore();
    }
  });
});

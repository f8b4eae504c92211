// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { consoleTestServer, inboxRowNames, LIVE, openConsole, ownerWithWebsite, visitorStarts } from '../../testing/console.js';

/**
 * Labels against a real server: made and deleted on their settings page, put on and taken off a
 * conversation, shown as chips in the inbox list, and the inbox filtered by one.
 */
const t = consoleTestServer();

const labelTitles = () => screen.queryAllByTestId('label-row').map((row) => within(row).getByTestId('label-chip').textContent);

describe('labels', { timeout: 60_000 }, () => {
  it('are created and deleted on their settings page', async () => {
    const owner = await ownerWithWebsite(t);
    const { user } = openConsole(t, owner.token, '/settings/labels');
    expect(await screen.findByText('No labels yet', undefined, LIVE)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'New label' }));
    let dialog = within(await screen.findByRole('dialog', { name: 'New label' }));
    await user.type(dialog.getByRole('textbox', { name: /Title/ }), 'late delivery');
    await user.click(dialog.getByRole('button', { name: 'Create label' }));
    expect(await dialog.findByText('One word: letters, digits, "-" and "_"')).toBeTruthy();
    await user.clear(dialog.getByRole('textbox', { name: /Title/ }));
    await user.type(dialog.getByRole('textbox', { name: /Title/ }), 'Billing');
    await user.click(dialog.getByRole('button', { name: 'Create label' }));
    await waitFor(() => expect(labelTitles()).toEqual(['billing']), LIVE);

    await user.click(screen.getByRole('button', { name: 'New label' }));
    dialog = within(await screen.findByRole('dialog', { name: 'New label' }));
    await user.type(dialog.getByRole('textbox', { name: /Title/ }), 'billing');
    await user.click(dialog.getByRole('button', { name: 'Create label' }));
    // The server's 409: titles are unique in the account.
    await waitFor(() => expect(screen.getByRole('dialog', { name: 'New label' }).textContent).toMatch(/already/i), LIVE);
    await user.clear(dialog.getByRole('textbox', { name: /Title/ }));
    await user.type(dialog.getByRole('textbox', { name: /Title/ }), 'vip');
    await user.type(dialog.getByRole('textbox', { name: /Colour/ }), '#e03131');
    await user.click(dialog.getByRole('button', { name: 'Create label' }));
    await waitFor(() => expect(labelTitles()).toEqual(['billing', 'vip']), LIVE);
    const stored = (await t.get('/nc-api/v1/labels', owner.token)).body.data;
    expect(stored.find((l: { title: string }) => l.title === 'vip').color).toBe('#e03131');

    await user.click(screen.getByRole('button', { name: 'Delete label vip' }));
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(labelTitles()).toEqual(['billing']), LIVE);
    expect((await t.get('/nc-api/v1/labels', owner.token)).body.data.map((l: { title: string }) => l.title)).toEqual(['billing']);
  });

  it('are renamed and recoloured on their settings page; the conversations that carry one follow', async () => {
    const owner = await ownerWithWebsite(t);
    for (const title of ['billing', 'vip']) await t.post('/nc-api/v1/labels', { title }, owner.token);
    const ann = (await visitorStarts(t, owner.websiteToken, { name: 'Ann' }, 'I was charged twice')).id;
    await t.post(`/nc-api/v1/conversations/${ann}/labels`, { labels: ['billing', 'vip'] }, owner.token);
    const { user } = openConsole(t, owner.token, '/settings/labels');
    await waitFor(() => expect(labelTitles()).toEqual(['billing', 'vip']), LIVE);

    await user.click(screen.getByRole('button', { name: 'Edit label billing' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Edit label' }));
    const title = dialog.getByRole('textbox', { name: /Title/ });
    expect((title as HTMLInputElement).value).toBe('billing');
    expect(dialog.getByText('A new title shows on the 1 conversation that carry it')).toBeTruthy();
    // Checked before sending, then the server's 409 for a title another label has.
    await user.clear(title);
    await user.type(title, 'two words');
    await user.click(dialog.getByRole('button', { name: 'Save' }));
    expect(await dialog.findByText('One word: letters, digits, "-" and "_"')).toBeTruthy();
    await user.clear(title);
    await user.type(title, 'vip');
    await user.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('dialog', { name: 'Edit label' }).textContent).toMatch(/already/i), LIVE);

    await user.clear(title);
    await user.type(title, 'Invoices');
    const colour = dialog.getByRole('textbox', { name: /Colour/ });
    await user.clear(colour);
    await user.type(colour, '#2f9e44');
    await user.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(labelTitles()).toEqual(['invoices', 'vip']), LIVE);
    expect(screen.queryByRole('dialog', { name: 'Edit label' })).toBeNull();
    const stored = (await t.get('/nc-api/v1/labels', owner.token)).body.data;
    expect(stored.map((l: { title: string; color: string }) => [l.title, l.color])).toEqual([
      ['invoices', '#2f9e44'],
      ['vip', expect.any(String)],
    ]);
    expect((await t.get(`/nc-api/v1/conversations/${ann}`, owner.token)).body.labels).toEqual(['invoices', 'vip']);

    // An emptied colour keeps the label's own.
    await user.click(screen.getByRole('button', { name: 'Edit label vip' }));
    const vip = within(await screen.findByRole('dialog', { name: 'Edit label' }));
    await user.clear(vip.getByRole('textbox', { name: /Colour/ }));
    await user.click(vip.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Edit label' })).toBeNull(), LIVE);
    expect((await t.get('/nc-api/v1/labels', owner.token)).body.data[1]).toMatchObject({ title: 'vip', color: stored[1].color });
  });

  it('go on and off a conversation, show in the inbox list and filter it', async () => {
    const owner = await ownerWithWebsite(t);
    for (const title of ['billing', 'vip']) await t.post('/nc-api/v1/labels', { title }, owner.token);
    const ann = (await visitorStarts(t, owner.websiteToken, { name: 'Ann' }, 'I was charged twice')).id;
    await visitorStarts(t, owner.websiteToken, { name: 'Bob' }, 'Do you ship to Canada?');

    const { user } = openConsole(t, owner.token, `/inbox/${ann}`);
    await waitFor(() => expect(inboxRowNames()).toEqual(['Bob', 'Ann']), LIVE);
    const labelsBar = within(await screen.findByTestId('conversation-labels', undefined, LIVE));
    await user.click(labelsBar.getByRole('textbox', { name: 'Add label' }));
    await user.click(await screen.findByRole('option', { name: 'billing' }));
    await waitFor(() => expect(labelsBar.getAllByTestId('label-chip').map((c) => c.textContent)).toEqual(['billing']), LIVE);
    expect((await t.get(`/nc-api/v1/conversations/${ann}`, owner.token)).body.labels).toEqual(['billing']);
    // The list row carries the chip too.
    await waitFor(() =>
      expect(
        within(screen.getByTestId(`conversation-row-${ann}`))
          .getAllByTestId('label-chip')
          .map((c) => c.textContent),
      ).toEqual(['billing']),
    );

    await user.click(labelsBar.getByRole('textbox', { name: 'Add label' }));
    await user.click(await screen.findByRole('option', { name: 'vip' }));
    await waitFor(() => expect(labelsBar.getAllByTestId('label-chip').map((c) => c.textContent)).toEqual(['billing', 'vip']), LIVE);

    // The inbox filtered by a label lists only the conversations that carry it.
    await user.click(screen.getByRole('textbox', { name: 'Label filter' }));
    await user.click(await screen.findByRole('option', { name: 'vip' }));
    await waitFor(() => expect(inboxRowNames()).toEqual(['Ann']), LIVE);

    await user.click(labelsBar.getByRole('button', { name: 'Remove label vip' }));
    await waitFor(() => expect(labelsBar.getAllByTestId('label-chip').map((c) => c.textContent)).toEqual(['billing']), LIVE);
    expect((await t.get(`/nc-api/v1/conversations/${ann}`, owner.token)).body.labels).toEqual(['billing']);

    // The labels page links each label's conversations: the inbox opens filtered by it.
    openConsole(t, owner.token, '/inbox?label=billing');
    await waitFor(() => expect(inboxRowNames()).toEqual(['Ann']), LIVE);
    expect((screen.getByRole('textbox', { name: 'Label filter' }) as HTMLInputElement).value).toBe('billing');
  });
});

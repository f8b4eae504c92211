// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../../../test/helpers/server.js';
import { consoleTestServer, LIVE, openConsole, ownerWithWebsite, visitorStarts } from '../../testing/console.js';

/** The Reports page against a real server: its figures follow the date range and the website filter. */
const t = consoleTestServer();
let instanceOwner: string;
beforeAll(async () => {
  instanceOwner = (await signUp(t)).token;
});

const figure = (label: string) => within(screen.getByRole('group', { name: label })).getByTestId('figure-value').textContent;

describe('reports page', { timeout: 60_000 }, () => {
  it('shows the summary of a date range, for all websites or one', async () => {
    const owner = await ownerWithWebsite(t);
    await t.put(`/nc-api/v1/accounts/${owner.accountId}/plan`, { plan: 'pro' }, instanceOwner);
    const blog = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://blog.example.com' }, owner.token);
    const start = async (token: string, name: string) => (await visitorStarts(t, token, { name }, 'Hello?')).id;
    const ann = await start(owner.websiteToken, 'Ann');
    await start(owner.websiteToken, 'Bob');
    await start(blog.body.website_token, 'Cy');
    expect((await t.post(`/nc-api/v1/conversations/${ann}/messages`, { content: 'Hi Ann, sorted.' }, owner.token)).status).toBe(201);
    expect((await t.post(`/nc-api/v1/conversations/${ann}/status`, { status: 'resolved' }, owner.token)).status).toBe(200);

    const { user } = openConsole(t, owner.token, '/reports');
    await waitFor(() => expect(figure('Conversations')).toBe('3'), LIVE);
    expect(figure('Resolved')).toBe('1');
    expect(figure('Resolved by AI')).toBe('0');
    // Ann got a human reply within the test's seconds: a median in seconds, not "—".
    expect(figure('First response')).toMatch(/^\d+ s$/);
    expect(figure('CSAT')).toBe('—');
    expect(screen.getByTestId('summary-chart')).toBeTruthy();

    await user.click(screen.getByRole('textbox', { name: 'Website' }));
    await user.click(await screen.findByRole('option', { name: 'https://blog.example.com' }));
    await waitFor(() => expect(figure('Conversations')).toBe('1'), LIVE);
    expect(figure('Resolved')).toBe('0');
    expect(figure('First response')).toBe('—');

    // A range that ended before any of it: nothing counted.
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-01-31' } });
    await user.click(screen.getByRole('textbox', { name: 'Website' }));
    await user.click(await screen.findByRole('option', { name: 'https://shop.example.com' }));
    await waitFor(() => expect(figure('Conversations')).toBe('0'), LIVE);
    expect(figure('Resolved')).toBe('0');

    // A range of one's own marks no period; "7 days" is the last seven days again, today included.
    const period = (name: string) => screen.getByRole('radio', { name }) as HTMLInputElement;
    expect(['7 days', '30 days', '90 days'].map((name) => period(name).checked)).toEqual([false, false, false]);
    await user.click(period('7 days'));
    await waitFor(() => expect(figure('Conversations')).toBe('2'), LIVE);
    expect((screen.getByLabelText('To') as HTMLInputElement).value).toBe(new Date().toISOString().slice(0, 10));
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe(
      new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10),
    );
    expect(period('7 days').checked).toBe(true);
  });
});

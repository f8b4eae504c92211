// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { consoleTestServer, LIVE, openConsole, ownerWithWebsite } from '../../testing/console.js';

/**
 * Canned responses against a real server: kept on their settings page, and expanded in the composer from
 * `/short_code` through the picker, which the keyboard alone drives.
 */
const t = consoleTestServer();

const shortCodes = () => screen.queryAllByTestId('canned-response-row').map((row) => row.querySelector('td')!.textContent);

describe('canned responses', { timeout: 60_000 }, () => {
  it('are added, edited, searched and deleted on their settings page', async () => {
    const owner = await ownerWithWebsite(t);
    await t.post('/nc-api/v1/canned_responses', { short_code: 'hours', content: 'We are open 9–17, Monday to Friday.' }, owner.token);
    const { user } = openConsole(t, owner.token, '/settings/canned-responses');
    await waitFor(() => expect(shortCodes()).toEqual(['/hours']), LIVE);

    await user.click(screen.getByRole('button', { name: 'New canned response' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'New canned response' }));
    await user.type(dialog.getByRole('textbox', { name: /Short code/ }), 'refund policy');
    await user.type(dialog.getByRole('textbox', { name: /Text/ }), 'Refunds take 5 days.');
    await user.click(dialog.getByRole('button', { name: 'Save' }));
    // One word only: said under the field before anything is sent.
    expect(await dialog.findByText('One word: letters, digits, "-" and "_"')).toBeTruthy();
    await user.clear(dialog.getByRole('textbox', { name: /Short code/ }));
    await user.type(dialog.getByRole('textbox', { name: /Short code/ }), 'Hours');
    await user.click(dialog.getByRole('button', { name: 'Save' }));
    // The server's 409 (short codes are unique, compared lower-cased) is shown on the form.
    expect(
      (await dialog.findAllByText('A canned response with the short code "hours" already exists.', undefined, LIVE)).length,
    ).toBeGreaterThan(0);
    await user.clear(dialog.getByRole('textbox', { name: /Short code/ }));
    await user.type(dialog.getByRole('textbox', { name: /Short code/ }), 'Refund');
    await user.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(shortCodes()).toEqual(['/hours', '/refund']), LIVE);

    await user.click(screen.getByRole('button', { name: 'Edit /refund' }));
    const edit = within(await screen.findByRole('dialog', { name: 'Edit canned response' }));
    const text = edit.getByRole('textbox', { name: /Text/ });
    expect((text as HTMLTextAreaElement).value).toBe('Refunds take 5 days.');
    await user.clear(text);
    await user.type(text, 'Refunds reach your card within 5 working days.');
    await user.click(edit.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByTestId('canned-responses-table').textContent).toContain('within 5 working days'), LIVE);
    const stored = (await t.get('/nc-api/v1/canned_responses', owner.token)).body.data;
    expect(stored.find((r: { short_code: string }) => r.short_code === 'refund').content).toBe(
      'Refunds reach your card within 5 working days.',
    );

    await user.type(screen.getByRole('textbox', { name: 'Search canned responses' }), 'card');
    await waitFor(() => expect(shortCodes()).toEqual(['/refund']), LIVE);
    await user.clear(screen.getByRole('textbox', { name: 'Search canned responses' }));
    await waitFor(() => expect(shortCodes()).toEqual(['/hours', '/refund']), LIVE);

    await user.click(screen.getByRole('button', { name: 'Delete /hours' }));
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(shortCodes()).toEqual(['/refund']), LIVE);
    expect((await t.get('/nc-api/v1/canned_responses', owner.token)).body.meta.total).toBe(1);
  });

  it('expand from /short_code in the composer through a keyboard-driven picker', async () => {
    const owner = await ownerWithWebsite(t);
    for (const [short_code, content] of [
      ['refund', 'Refunds reach your card within 5 working days.'],
      ['returns', 'Send it back within 30 days with the slip.'],
      ['hours', 'Open 9–17, Monday to Friday.'],
    ])
      await t.post('/nc-api/v1/canned_responses', { short_code, content }, owner.token);
    const started = await t.post(`/api/v1/widget/conversations?website_token=${owner.websiteToken}`, {
      contact: { name: 'Ann' },
      message: 'I want my money back',
    });
    const visitor = `website_token=${owner.websiteToken}&conversation_token=${started.body.conversation_token}&conversation_id=${started.body.id}`;
    const { user } = openConsole(t, owner.token, `/inbox/${started.body.id}`);
    await screen.findByTestId('conversation-view', undefined, LIVE);
    const composer = (await screen.findByRole('textbox', { name: 'Reply' }, LIVE)) as HTMLTextAreaElement;

    // "/" lists every response; what follows narrows the list (short code or text).
    await user.type(composer, 'Hello Ann! /');
    const listbox = await screen.findByRole('listbox', undefined, LIVE);
    await waitFor(() => expect(within(listbox).getAllByRole('option')).toHaveLength(3), LIVE);
    expect(composer.getAttribute('aria-expanded')).toBe('true');
    await user.type(composer, 're');
    await waitFor(
      () =>
        expect(
          within(screen.getByRole('listbox'))
            .getAllByRole('option')
            .map((o) => o.textContent),
        ).toHaveLength(2),
      LIVE,
    );

    // Esc closes the picker and leaves the text (and the focus) as they were.
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('listbox')).toBeNull());
    expect(composer.value).toBe('Hello Ann! /re');
    expect(document.activeElement).toBe(composer);

    // Typing on reopens it; ArrowDown moves to the second response, Enter puts it in place of "/re".
    await user.type(composer, 't');
    await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(1), LIVE);
    await user.keyboard('{Backspace}');
    await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(2), LIVE);
    const [first, second] = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(first!.textContent).toContain('/refund');
    expect(second!.textContent).toContain('/returns');
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(second!.getAttribute('aria-selected')).toBe('true'));
    expect(composer.getAttribute('aria-activedescendant')).toBe(second!.id);
    await user.keyboard('{ArrowUp}');
    await waitFor(() => expect(first!.getAttribute('aria-selected')).toBe('true'));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(composer.value).toBe('Hello Ann! Refunds reach your card within 5 working days.'));
    expect(screen.queryByRole('listbox')).toBeNull();

    // The next Enter sends the expanded reply: the visitor reads the text, not the short code.
    await user.keyboard('{Enter}');
    await waitFor(async () => {
      const seen = (await t.get(`/api/v1/widget/messages?${visitor}`)).body.data.map((m: { content: string }) => m.content);
      expect(seen).toContain('Hello Ann! Refunds reach your card within 5 working days.');
    }, LIVE);

    // A "/" inside a word (a URL) is just text: only the "/ho" after a space is expanded.
    await user.type(composer, 'see example.com/re /ho');
    await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(1), LIVE);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(composer.value).toBe('see example.com/re Open 9–17, Monday to Friday.'));
  });
});

// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { shopWithAiAgent, Visitor } from '../../../../server/ai-agent/test-fixtures.js';
import { consoleTestServer, LIVE, openConsole } from '../../testing/console.js';

/** The AI agent report against a real server whose AI agent answers a visitor: its figures follow the date range. */
const t = consoleTestServer();
const figure = (label: string) => within(screen.getByRole('group', { name: label })).getByTestId('figure-value').textContent;

describe('AI agent report page', { timeout: 90_000 }, () => {
  it("counts the AI agent's answers in the chosen date range", async () => {
    const shop = await shopWithAiAgent(t);
    await Visitor.start(t, shop.websiteToken, 'How long does shipping take?');
    await expect
      .poll(async () => (await t.get('/nc-api/v1/reports/ai', shop.token)).body.answered, { timeout: 30_000, interval: 200 })
      .toBe(1);

    const { user } = openConsole(t, shop.token, '/reports/ai');
    await waitFor(() => expect(figure('Questions')).toBe('1'), LIVE);
    expect(figure('Answered')).toBe('1');
    expect(screen.getByTestId('ai-report-chart')).toBeTruthy();

    // A range that ended before the visitor asked: nothing counted; "7 days" takes in today again.
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-01-31' } });
    await waitFor(() => expect(figure('Questions')).toBe('0'), LIVE);
    await user.click(screen.getByRole('radio', { name: '7 days' }));
    await waitFor(() => expect(figure('Questions')).toBe('1'), LIVE);
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
  });
});

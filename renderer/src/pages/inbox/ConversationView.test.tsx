// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { consoleTestServer, LIVE, openConsole, ownerWithWebsite, visitorStarts } from '../../testing/console.js';

/**
 * One conversation open in the inbox, in jsdom against a real server: what the agent reads, writes
 * and changes, checked on screen and from the visitor's side of the public widget API.
 */
const t = consoleTestServer();

type Owner = Awaited<ReturnType<typeof ownerWithWebsite>>;
type Visitor = { id: number; query: string };

/** A visitor's conversation, started through the widget API as the widget script does. */
async function visitorConversation(owner: Owner, name: string, message: string): Promise<Visitor> {
  const { id, conversationToken } = await visitorStarts(t, owner.websiteToken, { name }, message);
  return { id, query: `website_token=${owner.websiteToken}&conversation_token=${conversationToken}` };
}

const visitorWrites = async (v: Visitor, content: string) =>
  expect((await t.post(`/api/v1/widget/messages?${v.query}`, { conversation_id: v.id, content })).status).toBe(201);

/** What the visitor's widget shows: the conversation as the public widget API answers it. */
const visitorSees = async (v: Visitor): Promise<{ content: string; message_type: string }[]> =>
  (await t.get(`/api/v1/widget/messages?${v.query}&conversation_id=${v.id}`)).body.data;

const bubbles = (testId: string) =>
  within(screen.getByTestId('message-list'))
    .queryAllByTestId(testId)
    .map((b) => b.textContent);

/** The conversation open on screen, once its messages and the live connection are in. */
async function openConversation(owner: Owner, v: Visitor) {
  const opened = openConsole(t, owner.token, `/inbox/${v.id}`);
  await screen.findByTestId('conversation-view', undefined, LIVE);
  await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates on' })).toBeTruthy(), LIVE);
  return opened;
}

describe('inbox conversation view', { timeout: 60_000 }, () => {
  it("shows the visitor's messages in order, with a new one arriving live", async () => {
    const owner = await ownerWithWebsite(t);
    const v = await visitorConversation(owner, 'Ann', 'Hello, I have a question about order 4711');
    await visitorWrites(v, 'It was due on Monday');
    await openConversation(owner, v);

    expect(screen.getByTestId('conversation-contact').textContent).toBe('Ann');
    await waitFor(() => expect(bubbles('incoming-message')).toEqual(['Hello, I have a question about order 4711', 'It was due on Monday']));

    await visitorWrites(v, 'Any news?');
    await waitFor(() => expect(bubbles('incoming-message').at(-1)).toBe('Any news?'), LIVE);
    expect(bubbles('incoming-message')).toHaveLength(3);
  });

  it('sends a reply the visitor gets, and a private note the visitor never sees', async () => {
    const owner = await ownerWithWebsite(t);
    const v = await visitorConversation(owner, 'Bob', 'Do you ship to Canada?');
    const { user } = await openConversation(owner, v);

    await user.type(screen.getByRole('textbox', { name: 'Reply' }), 'Yes, in 5 to 7 days.{Enter}');
    await waitFor(() => expect(bubbles('outgoing-message')).toEqual(['Yes, in 5 to 7 days.']), LIVE);
    expect((screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement).value).toBe('');
    expect(await visitorSees(v)).toContainEqual(expect.objectContaining({ content: 'Yes, in 5 to 7 days.', message_type: 'outgoing' }));

    await user.click(screen.getByRole('radio', { name: 'Private note' }));
    await user.type(screen.getByRole('textbox', { name: 'Private note' }), 'Regular customer, offer free shipping');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(bubbles('note-message')).toEqual(['Regular customer, offer free shipping']), LIVE);
    expect((await visitorSees(v)).map((m) => m.content)).not.toContain('Regular customer, offer free shipping');
  });

  it('gives the reply back, with the reason, when the server refuses it', async () => {
    const owner = await ownerWithWebsite(t);
    const v = await visitorConversation(owner, 'Eve', 'Can I change my address?');
    const { user } = await openConversation(owner, v);
    const box = screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement;
    const tooLong = 'x'.repeat(10_001); // past NOVA_MESSAGE_MAX_LENGTH: a 422
    await user.click(box);
    await user.paste(tooLong);
    await user.keyboard('{Enter}');
    await screen.findByText(/10000|10 000|10,000/, undefined, LIVE);
    expect(box.value).toBe(tooLong);
    expect(bubbles('outgoing-message')).toEqual([]);
  });

  it('keeps keys typed straight after the n shortcut in the note', async () => {
    const owner = await ownerWithWebsite(t);
    const v = await visitorConversation(owner, 'Cy', 'Is the shop open on Sunday?');
    await openConversation(owner, v);
    // One burst, no pause between keys (delay null), as a fast typist or a loaded machine delivers them: a key
    // landing on the page instead would be a shortcut of its own, e resolving the conversation and r turning
    // the note into a reply the visitor reads.
    const fast = userEvent.setup({ delay: null });
    await fast.keyboard('nCustomer is a regular, be generous');
    await fast.click(screen.getByRole('button', { name: 'Add note' }));

    await waitFor(() => expect(bubbles('note-message')).toEqual(['Customer is a regular, be generous']), LIVE);
    expect(bubbles('outgoing-message')).toEqual([]);
    expect((await visitorSees(v)).map((m) => m.content)).not.toContain('Customer is a regular, be generous');
    expect((await t.get(`/nc-api/v1/conversations/${v.id}`, owner.token)).body.status).toBe('open');
  });

  it('resolves the conversation, and reopens it', async () => {
    const owner = await ownerWithWebsite(t);
    const v = await visitorConversation(owner, 'Dee', 'Thanks, that is all');
    const { user } = await openConversation(owner, v);
    const header = () => within(screen.getByTestId('conversation-view'));

    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    await header().findByRole('button', { name: 'Reopen' }, LIVE);
    expect(header().getAllByTestId('status-badge')[0]!.textContent).toBe('resolved');
    expect((await t.get(`/nc-api/v1/conversations/${v.id}`, owner.token)).body.status).toBe('resolved');

    await user.click(screen.getByRole('button', { name: 'Reopen' }));
    await header().findByRole('button', { name: 'Resolve' }, LIVE);
    expect(header().getAllByTestId('status-badge')[0]!.textContent).toBe('open');
    expect((await t.get(`/nc-api/v1/conversations/${v.id}`, owner.token)).body.status).toBe('open');
  });
});

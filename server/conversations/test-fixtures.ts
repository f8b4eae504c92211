import { signUp, type ServerCalls } from '../../test/helpers/server.js';

/** An account with one bound website: what every conversation test starts from. */
export async function accountWithWebsite(t: ServerCalls, websiteUrl = 'https://mycompany.com') {
  const owner = await signUp(t);
  const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: websiteUrl }, owner.token);
  if (bound.status !== 201) throw new Error(`bind-domain failed: ${bound.status} ${bound.text}`);
  return { ...owner, domainId: bound.body.domain_id as number, websiteToken: bound.body.website_token as string, websiteUrl };
}

/** A visitor's conversation created through the widget API; returns the 201 body. */
export async function visitorConversation(
  t: ServerCalls,
  websiteToken: string,
  body: unknown = { contact: { name: 'John', email: 'john@example.com' }, message: 'I need help with my order' },
) {
  const res = await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, body);
  if (res.status !== 201) throw new Error(`widget conversation failed: ${res.status} ${res.text}`);
  return res.body as { id: number; conversation_token: string; contact: { id: number }; [key: string]: unknown };
}

/** An API key of the owner's account. */
export async function apiKey(t: ServerCalls, token: string, permissions: ('read' | 'write')[]) {
  const res = await t.post('/nc-api/v1/api-keys', { name: 'Integration', permissions }, token);
  if (res.status !== 201) throw new Error(`api key failed: ${res.status} ${res.text}`);
  return res.body.full_key as string;
}

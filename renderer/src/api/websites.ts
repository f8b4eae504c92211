/**
 * The account's websites. The API calls them domains (`/nc-api/v1/account/domains`, `bind-domain`);
 * the console says websites.
 */
import { api, pathId, send } from './client.js';
import type { BoundDomain, Domain, WidgetSettings } from './types.js';

export async function listWebsites(signal?: AbortSignal): Promise<Domain[]> {
  return (await send(api().GET('/nc-api/v1/account/domains', { signal }))).data;
}

/** Binds a website origin; the answer carries its token and the snippet to paste. */
export const bindWebsite = (websiteUrl: string, label?: string): Promise<BoundDomain> =>
  send(api().POST('/nc-api/v1/account/bind-domain', { body: { website_url: websiteUrl, ...(label ? { label } : {}) } }));

export const saveWidgetSettings = (id: number, settings: WidgetSettings): Promise<Domain> =>
  send(api().PUT('/nc-api/v1/account/domains/{id}', { params: { path: pathId(id) }, body: { widget_settings: settings } }));

/** Puts an AI agent on the website (`agentId` null and `active` false: the team answers alone). */
export const setWebsiteAgent = (id: number, agentId: number | null, active: boolean) =>
  send(
    api().POST('/nc-api/v1/account/domains/{id}/ai-config', {
      params: { path: pathId(id) },
      body: { ai_bot_config_id: agentId, is_active: active },
    }),
  );

/** Removes the website with its inbox and conversations. */
export async function removeWebsite(id: number): Promise<void> {
  await send(api().DELETE('/nc-api/v1/account/domains/{id}', { params: { path: pathId(id) } }));
}

/** The website's identity secret (admins only): the key the site's server signs signed-in visitors' e-mails with. */
export async function getIdentitySecret(id: number, signal?: AbortSignal): Promise<string> {
  const res = await send(api().GET('/nc-api/v1/account/domains/{id}/identity-validation', { params: { path: pathId(id) }, signal }));
  return res.identity_secret;
}

/** A new identity secret: hashes made with the old one stop verifying at once. */
export async function rotateIdentitySecret(id: number): Promise<string> {
  const res = await send(api().POST('/nc-api/v1/account/domains/{id}/identity-validation/rotate', { params: { path: pathId(id) } }));
  return res.identity_secret;
}

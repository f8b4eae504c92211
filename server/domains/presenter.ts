import type { z } from 'zod';
import type { DomainRow } from './repo.js';
import type { aiConfigResponse, domainSchema, domainSummarySchema, identityValidationResponse } from './schemas.js';

/** The shape listed in `account/status` (with `chatwoot_inbox_id` for clients of the hosted API). */
export const presentDomainSummary = (d: DomainRow): z.infer<typeof domainSummarySchema> => ({
  id: d.id,
  website_url: d.website_url,
  label: d.label,
  website_token: d.website_token,
  inbox_id: d.inbox_id,
  chatwoot_inbox_id: d.inbox_id,
});

/** A website as listed; the routes add its `widget_code` (it depends on the address the admin called). */
export const presentDomain = (d: DomainRow): Omit<z.infer<typeof domainSchema>, 'widget_code'> => ({
  ...presentDomainSummary(d),
  ai_config: { ai_bot_config_id: d.ai_agent_id, is_active: d.ai_active },
  widget_settings: d.widget_settings,
  created_at: d.created_at,
});

export const presentAiConfig = (d: DomainRow): z.infer<typeof aiConfigResponse> => ({
  domain_id: d.id,
  ai_bot_config_id: d.ai_agent_id,
  is_active: d.ai_active,
});

/** The website's identity secret (opened): for signed-in admins only (routes with `admin_user` access). */
export const presentIdentityValidation = (d: DomainRow, identitySecret: string): z.infer<typeof identityValidationResponse> => ({
  domain_id: d.id,
  identity_secret: identitySecret,
});

/** A JSON value safe inside an inline <script>: no `</script>`, `<!--` or line separators can end or break it. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' };
const attribute = (value: string) => value.replace(/[&"'<>]/g, (c) => HTML_ESCAPES[c]!);

/**
 * The two script tags a site owner pastes into their page's <head>, as the quick-start shows. `baseUrl`
 * is the public URL (server/public-url.ts); every value is escaped for where it lands all the same.
 */
export function widgetSnippet(baseUrl: string, websiteToken: string, position: string = 'bottom_right'): string {
  const base = baseUrl.replace(/\/$/, '');
  return [
    '<script>',
    `  window.novaChatSettings = { websiteToken: ${scriptJson(websiteToken)}, position: ${scriptJson(position)} };`,
    '</script>',
    `<script src="${attribute(`${base}/widget.js`)}" async></script>`,
  ].join('\n');
}

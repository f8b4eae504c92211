import type { z } from 'zod';
import type { DomainRow } from './repo.js';
import type { aiConfigResponse, domainSchema, domainSummarySchema } from './schemas.js';

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

/** The two script tags a site owner pastes into their page's <head>, as the quick-start shows. */
export function widgetSnippet(baseUrl: string, websiteToken: string, position: string = 'bottom_right'): string {
  const base = baseUrl.replace(/\/$/, '');
  return [
    '<script>',
    `  window.novaChatSettings = { websiteToken: ${JSON.stringify(websiteToken)}, position: ${JSON.stringify(position)} };`,
    '</script>',
    `<script src="${base}/widget.js" async></script>`,
  ].join('\n');
}

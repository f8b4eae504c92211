import { z } from 'zod';
import { idSchema, text } from '../validation.js';

/** An http(s) origin: scheme, host and optional port, nothing else (a trailing "/" is tolerated). */
export const websiteOrigin = z
  .string()
  .trim()
  .max(300)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) origin like https://example.com' });
      return z.NEVER;
    }
    const isOrigin =
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !url.username &&
      !url.password &&
      url.pathname === '/' &&
      !url.search &&
      !url.hash &&
      /^https?:\/\/[^/]+\/?$/i.test(value);
    if (!isOrigin) {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) origin like https://example.com (no path, query or fragment)' });
      return z.NEVER;
    }
    return url.origin;
  });

export const bindDomainBody = z.object({
  website_url: websiteOrigin,
  label: text(200).optional(),
});

export const widgetSettingsSchema = z
  .object({
    position: z.enum(['bottom_left', 'bottom_right']).optional(),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f6feb')
      .optional(),
    title: text(60).optional(),
    launcher_text: text(40).optional(),
    locale: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale like en or pt-BR')
      .optional(),
  })
  .strict();

export const updateDomainBody = z
  .object({ label: text(200).nullable().optional(), widget_settings: widgetSettingsSchema.optional() })
  .strict();

export const aiConfigBody = z.object({
  ai_bot_config_id: idSchema.nullable(),
  is_active: z.boolean(),
});

export const bindDomainResponse = z.object({
  domain_id: z.number().int(),
  website_token: z.string(),
  widget_code: z.string(),
  inbox_id: z.number().int(),
});

/** A website as `account/status` lists it (with `chatwoot_inbox_id` for clients of the hosted API). */
export const domainSummarySchema = z.object({
  id: z.number().int(),
  website_url: z.string(),
  label: z.string().nullable(),
  website_token: z.string(),
  inbox_id: z.number().int(),
  chatwoot_inbox_id: z.number().int(),
});

export const domainSchema = domainSummarySchema.extend({
  ai_config: z.object({ ai_bot_config_id: z.number().int().nullable(), is_active: z.boolean() }),
  widget_settings: widgetSettingsSchema,
  widget_code: z.string(),
  created_at: z.string(),
});

export const aiConfigResponse = z.object({
  domain_id: z.number().int(),
  ai_bot_config_id: z.number().int().nullable(),
  is_active: z.boolean(),
});

export const identityValidationResponse = z.object({
  domain_id: z.number().int(),
  identity_secret: z
    .string()
    .describe(
      "the key your server signs a signed-in visitor's e-mail with: identifier_hash = hex HMAC-SHA256(key: this string, message: the e-mail). Keep it on your server; never put it in a page",
    ),
});

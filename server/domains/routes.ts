// A bound website. The API (and so this folder) calls it a domain (`/account/domains`, `bind-domain`, `domain_id`);
// the console and the README call it a website.
import { accountIdOf } from '../http/auth.js';
import { notFound } from '../errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam, listResponse, settingsListQuery } from '../validation.js';
import { listMeta, pageRange } from '../db/pagination.js';
import { presentAiConfig, presentDomain, presentIdentityValidation, widgetSnippet } from './presenter.js';
import { countDomains, findDomain, listDomains, type DomainRow } from './repo.js';
import * as schemas from './schemas.js';
import { openIdentitySecret } from './identity-secret.js';
import { bindDomain, changeDomain, rotateIdentitySecret, setAiConfig, unbindDomain } from './service.js';

/** Snippets point at the public URL (never at the request's Host header: anyone can send any Host). */
const withSnippet = (base: string, d: DomainRow) => ({
  ...presentDomain(d),
  widget_code: widgetSnippet(base, d.website_token, d.widget_settings.position),
});

export const domainRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/account/bind-domain',
    tag: 'Domains',
    summary: 'Bind a website and get its widget token and snippet',
    access: 'admin',
    body: schemas.bindDomainBody,
    responses: {
      201: { description: 'Domain bound', schema: schemas.bindDomainResponse },
      403: { description: 'plan_limit_reached' },
      409: { description: 'Website already bound' },
    },
    handler: async (ctx, { body }) => {
      const domain = await bindDomain(ctx.deps, accountIdOf(ctx), body);
      return {
        domain_id: domain.id,
        website_token: domain.website_token,
        widget_code: widgetSnippet(await ctx.deps.publicUrl.base(), domain.website_token),
        inbox_id: domain.inbox_id,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/account/domains',
    tag: 'Domains',
    summary: 'List bound websites',
    access: 'member',
    query: settingsListQuery,
    responses: { 200: { description: 'Domains', schema: listResponse(schemas.domainSchema) } },
    handler: async (ctx, { query }) => {
      const accountId = accountIdOf(ctx);
      const [rows, total] = await Promise.all([
        listDomains(ctx.deps.db, accountId, pageRange(query)),
        countDomains(ctx.deps.db, accountId),
      ]);
      const base = await ctx.deps.publicUrl.base();
      return { data: rows.map((d) => withSnippet(base, d)), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/account/domains/:id',
    tag: 'Domains',
    summary: 'Show one website',
    access: 'member',
    responses: { 200: { description: 'Domain', schema: schemas.domainSchema } },
    handler: async (ctx, { params }) => {
      const domain = await findDomain(ctx.deps.db, accountIdOf(ctx), idParam(params.id));
      if (!domain) throw notFound('Domain');
      return withSnippet(await ctx.deps.publicUrl.base(), domain);
    },
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/account/domains/:id',
    tag: 'Domains',
    summary: "Change a website's label or widget appearance",
    access: 'admin',
    body: schemas.updateDomainBody,
    responses: { 200: { description: 'Domain', schema: schemas.domainSchema } },
    handler: async (ctx, { body, params }) => {
      const accountId = accountIdOf(ctx);
      const id = idParam(params.id);
      const existing = await findDomain(ctx.deps.db, accountId, id);
      if (!existing) throw notFound('Domain');
      const widgetSettings = body.widget_settings ? { ...existing.widget_settings, ...body.widget_settings } : undefined;
      const domain = await changeDomain(ctx.deps, accountId, id, { label: body.label, widget_settings: widgetSettings });
      return withSnippet(await ctx.deps.publicUrl.base(), domain!);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/nc-api/v1/account/domains/:id',
    tag: 'Domains',
    summary: 'Unbind a website (its inbox and conversations are deleted)',
    access: 'admin',
    responses: { 204: { description: 'Deleted' } },
    handler: async (ctx, { params }) => {
      if (!(await unbindDomain(ctx.deps, accountIdOf(ctx), idParam(params.id)))) throw notFound('Domain');
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/account/domains/:id/ai-config',
    tag: 'Domains',
    summary: 'Which AI agent answers this website',
    access: 'member',
    responses: { 200: { description: 'AI config', schema: schemas.aiConfigResponse } },
    handler: async (ctx, { params }) => {
      const domain = await findDomain(ctx.deps.db, accountIdOf(ctx), idParam(params.id));
      if (!domain) throw notFound('Domain');
      return presentAiConfig(domain);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/account/domains/:id/ai-config',
    tag: 'Domains',
    summary: "Attach an AI agent to this website's widget",
    access: 'admin',
    body: schemas.aiConfigBody,
    responses: { 200: { description: 'AI config', schema: schemas.aiConfigResponse } },
    handler: async (ctx, { body, params }) => presentAiConfig(await setAiConfig(ctx.deps, accountIdOf(ctx), idParam(params.id), body)),
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/account/domains/:id/identity-validation',
    tag: 'Domains',
    summary: "The website's identity secret, for identity validation of signed-in visitors",
    description:
      "For a visitor your site has signed in, your server sends `contact.identifier_hash` = hex HMAC-SHA256 of the visitor's e-mail " +
      '(exactly as sent in `contact.email`), keyed by this secret, with the widget conversation (or `NovaChat.setUser`). With a valid ' +
      "hash the conversation joins that e-mail's verified contact and its history; without one it gets a contact of its own, marked " +
      '`verified: false`, and the widget is shown nothing stored about an existing contact. Signed-in admins only: API keys and agents get a 403.',
    access: 'admin_user',
    responses: { 200: { description: 'Identity secret', schema: schemas.identityValidationResponse } },
    handler: async (ctx, { params }) => {
      const domain = await findDomain(ctx.deps.db, accountIdOf(ctx), idParam(params.id));
      if (!domain) throw notFound('Domain');
      return presentIdentityValidation(domain, openIdentitySecret(ctx.deps.domains.identitySecretKey, domain));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/account/domains/:id/identity-validation/rotate',
    tag: 'Domains',
    summary: 'Replace the identity secret (hashes made with the old one stop verifying at once)',
    access: 'admin_user',
    responses: { 200: { description: 'The new identity secret', schema: schemas.identityValidationResponse } },
    handler: async (ctx, { params }) => {
      const domain = await rotateIdentitySecret(ctx.deps, accountIdOf(ctx), idParam(params.id));
      return presentIdentityValidation(domain, openIdentitySecret(ctx.deps.domains.identitySecretKey, domain));
    },
  }),
];

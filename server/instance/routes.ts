import { z } from 'zod';
import { baseUrl } from '../config.js';
import type { Deps } from '../deps.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { setPublicUrlSetting, setSignUpMode, signUpRefused, signUpState } from './service.js';

const settingsSchema = z.object({
  signup: z.enum(['open', 'closed']).describe('Whether new accounts can be created (`POST /nc-api/v1/accounts`).'),
  signup_closed_by_server: z.boolean().describe('`NOVA_SIGNUP=closed` on the server: sign-up stays closed whatever the switch says.'),
  public_url: z.string().nullable().describe("The owner's base URL for visitors (widget snippets), stored in the database; null: not set."),
  public_url_from_server: z
    .string()
    .nullable()
    .describe('`NOVA_PUBLIC_URL` on the server: when set it is the one in use, whatever `public_url` says.'),
  public_url_in_use: z.string().describe('The base URL snippets use now: `NOVA_PUBLIC_URL`, else `public_url`, else the listen address.'),
  public_url_source: z.enum(['environment', 'setting', 'listen_address']),
});
const changeSettingsBody = z.object({
  signup: z.enum(['open', 'closed']).optional(),
  public_url: z.union([baseUrl, z.null()]).optional().describe('An http(s) base URL like https://chat.example.com; null clears it.'),
});

async function presentSettings(deps: Deps) {
  const [signup, publicUrl] = await Promise.all([signUpState(deps.db, deps.config), deps.publicUrl.state()]);
  return {
    signup: signup.mode,
    signup_closed_by_server: signup.closedByServer,
    public_url: publicUrl.setting ?? null,
    public_url_from_server: publicUrl.fromServer ?? null,
    public_url_in_use: publicUrl.inUse,
    public_url_source: publicUrl.source,
  };
}

export const instanceRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/instance/signup',
    tag: 'Instance',
    summary: 'Whether this instance accepts new accounts (for the sign-up page)',
    access: 'public',
    responses: { 200: { description: 'Sign-up state', schema: z.object({ open: z.boolean() }) } },
    handler: async (ctx) => ({ open: !(await signUpRefused(ctx.deps.db, ctx.deps.config)) }),
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/instance/settings',
    tag: 'Instance',
    summary: "The instance's settings (instance owner only)",
    access: 'instance_admin',
    responses: { 200: { description: 'Settings', schema: settingsSchema } },
    handler: async (ctx) => presentSettings(ctx.deps),
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/instance/settings',
    tag: 'Instance',
    summary: "Change the instance's settings (instance owner only)",
    description:
      'Closing sign-up refuses `POST /nc-api/v1/accounts` with 403 `signup_closed`; account admins still add teammates. ' +
      'With `NOVA_SIGNUP=closed` on the server, sign-up stays closed whatever is stored here. `public_url` is the base ' +
      'URL widget snippets name (a reverse proxy or tunnel in front of this server); `NOVA_PUBLIC_URL` wins when set.',
    access: 'instance_admin',
    body: changeSettingsBody,
    responses: { 200: { description: 'Settings', schema: settingsSchema } },
    handler: async (ctx, { body }) => {
      if (body.signup) await setSignUpMode(ctx.deps.db, ctx.deps.config, body.signup);
      if (body.public_url !== undefined) await setPublicUrlSetting(ctx.deps.db, body.public_url);
      return presentSettings(ctx.deps);
    },
  }),
];

import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { setSignUpMode, signUpRefused, signUpState } from './service.js';

const settingsSchema = z.object({
  signup: z.enum(['open', 'closed']).describe('Whether new accounts can be created (`POST /nc-api/v1/accounts`).'),
  signup_closed_by_server: z.boolean().describe('`NOVA_SIGNUP=closed` on the server: sign-up stays closed whatever the switch says.'),
});
const changeSettingsBody = z.object({ signup: z.enum(['open', 'closed']) });

const presentSettings = (state: Awaited<ReturnType<typeof signUpState>>) => ({
  signup: state.mode,
  signup_closed_by_server: state.closedByServer,
});

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
    handler: async (ctx) => presentSettings(await signUpState(ctx.deps.db, ctx.deps.config)),
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/instance/settings',
    tag: 'Instance',
    summary: "Change the instance's settings (instance owner only)",
    description:
      'Closing sign-up refuses `POST /nc-api/v1/accounts` with 403 `signup_closed`; account admins still add teammates. ' +
      'With `NOVA_SIGNUP=closed` on the server, sign-up stays closed whatever is stored here.',
    access: 'instance_admin',
    body: changeSettingsBody,
    responses: { 200: { description: 'Settings', schema: settingsSchema } },
    handler: async (ctx, { body }) => presentSettings(await setSignUpMode(ctx.deps.db, ctx.deps.config, body.signup)),
  }),
];

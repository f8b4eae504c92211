import { cleanup, render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ServerProcess } from '../../../test/helpers/server-process.js';
import { signUp } from '../../../test/helpers/server.js';
import { ConsoleRoot } from '../ConsoleRoot.js';
import './dom.js';

/** The jsdom instance vitest's jsdom environment exposes; only its page address is changed here. */
declare const jsdom: { reconfigure(settings: { url: string }): void };

/** A new account on the test server with one website bound: what an owner has after onboarding. */
export async function ownerWithWebsite(t: ServerProcess, websiteUrl = 'https://shop.example.com') {
  const owner = await signUp(t);
  const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: websiteUrl }, owner.token);
  if (bound.status !== 201) throw new Error(`bind-domain answered ${bound.status}`);
  const me = await t.get('/nc-api/v1/auth/me', owner.token);
  return {
    ...owner,
    agentId: me.body.agent_id as number,
    domainId: bound.body.domain_id as number,
    websiteToken: bound.body.website_token as string,
  };
}

/**
 * Opens the console at `route` (e.g. `/inbox`) signed in with `token`, as a browser on the server's
 * origin would: the page's API calls and its realtime socket go to the real server.
 */
export function openConsole(t: ServerProcess, token: string, route: string) {
  cleanup();
  jsdom.reconfigure({ url: `${t.url}/app${route}` });
  localStorage.setItem('nova.console.token', token);
  return { user: userEvent.setup(), ...render(<ConsoleRoot env="test" />) };
}

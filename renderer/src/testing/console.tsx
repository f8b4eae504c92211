import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ServerProcess } from '../../../test/helpers/server-process.js';
import { ServerCalls, signUp } from '../../../test/helpers/server.js';
import { ConsoleRoot } from '../ConsoleRoot.js';
import './dom.js';

/** The jsdom instance vitest's jsdom environment exposes; only its page address is changed here. */
declare const jsdom: { reconfigure(settings: { url: string }): void };

/** How long a test waits for what the page shows after a real server answered (generous: CI runs on two busy cores). */
export const LIVE = { timeout: 15_000 };

/** The test file's server: calls go to the process `consoleTestServer` started for the file. */
class FileServer extends ServerCalls {
  process: ServerProcess | undefined;
  get url(): string {
    if (!this.process) throw new Error('the test server starts before the first test (beforeAll)');
    return this.process.url;
  }
}

/**
 * One real server for a test file (`env`: its NOVA_… variables), in a child process as the console's tests need:
 * started before the file's tests and stopped after them, the console unmounted after each test.
 */
export function consoleTestServer(env: Record<string, string> = {}): ServerCalls {
  const server = new FileServer();
  beforeAll(async () => {
    server.process = await ServerProcess.start(env);
  });
  afterEach(cleanup);
  afterAll(async () => {
    cleanup();
    await server.process?.close();
  });
  return server;
}

/**
 * A server per test, for files whose tests each need other server settings: `start(env)` starts one, and all
 * stop after the file's tests.
 */
export function consoleTestServers(): (env?: Record<string, string>) => Promise<ServerCalls> {
  const servers: ServerProcess[] = [];
  afterEach(cleanup);
  afterAll(async () => {
    cleanup();
    await Promise.all(servers.map((s) => s.close()));
  });
  return async (env = {}) => {
    const server = await ServerProcess.start(env);
    servers.push(server);
    return server;
  };
}

/** A visitor starts a conversation on the website through the public widget API, as the widget script does. */
export async function visitorStarts(t: ServerCalls, websiteToken: string, contact: Record<string, string>, message: string) {
  const res = await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, { contact, message });
  if (res.status !== 201) throw new Error(`starting a conversation answered ${res.status}: ${res.text}`);
  return { id: res.body.id as number, conversationToken: res.body.conversation_token as string };
}

/** A new account on the test server with one website bound: what an owner has after onboarding. */
export async function ownerWithWebsite(t: ServerCalls, websiteUrl = 'https://shop.example.com') {
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
export function openConsole(t: ServerCalls, token: string, route: string) {
  cleanup();
  jsdom.reconfigure({ url: `${t.url}/app${route}` });
  localStorage.setItem('nova.console.token', token);
  return { user: userEvent.setup(), ...render(<ConsoleRoot env="test" />) };
}

/** The contacts of the inbox list's rows on screen, top to bottom (without their unread counts). */
export const inboxRowNames = () =>
  within(screen.getByRole('navigation', { name: 'Conversations' }))
    .getAllByRole('button', { name: /^Conversation with / })
    .map((row) =>
      row
        .getAttribute('aria-label')!
        .replace(/^Conversation with /, '')
        .replace(/, \d+ unread$/, ''),
    );

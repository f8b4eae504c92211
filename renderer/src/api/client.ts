import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ApiError, errorFromBody } from './errors.js';
import type { paths } from './generated/openapi.js';

const TOKEN_KEY = 'nova.console.token';

export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/** Fired when a signed-in request answers 401 (expired or revoked session): the app goes back to login. */
export const UNAUTHORIZED_EVENT = 'nova:unauthorized';

/** Sends the sign-in token with each request; a signed-in request answered 401 ends the session. */
const session: Middleware = {
  onRequest({ request }) {
    const token = tokenStore.get();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('authorization')) {
      tokenStore.clear();
      window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    }
    return response;
  },
};

let client: Client<paths> | undefined;

/**
 * The API client, typed by the generated OpenAPI paths (paths, parameters, bodies and answers). Made on
 * first use against the page's origin: an absolute base, because a `Request` outside a browser (the
 * component tests run in Node) cannot resolve a relative URL.
 */
export function api(): Client<paths> {
  if (!client) {
    client = createClient<paths>({ baseUrl: location.origin, headers: { accept: 'application/json' } });
    client.use(session);
  }
  return client;
}

type Answer = { data?: unknown; error?: unknown; response: Response };
/** What a 2xx answer's body is, from openapi-fetch's `{data} | {error}` union. */
type DataOf<A> = A extends { data: infer D } ? D : never;

/** The data of a 2xx answer; any other answer, or none at all, becomes an ApiError in the contract's words. */
export async function send<A extends Answer>(pending: Promise<A>): Promise<DataOf<A>> {
  let answer: A;
  try {
    answer = await pending;
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw errorFromBody(0, undefined);
  }
  if (!answer.response.ok) throw errorFromBody(answer.response.status, answer.error);
  return answer.data as DataOf<A>;
}

export { ApiError };

/** The `{id}` of a path: the spec types path parameters as strings (they come from the koa path). */
export const pathId = (id: number) => ({ id: String(id) });

/**
 * Saves what `path` answers through the browser's download: the token travels in a header, so a plain link
 * cannot fetch it. The file is named by the answer's Content-Disposition when it gives one, else `filename`.
 */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const response = await fetch(`${location.origin}${path}`, { headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` } });
  if (!response.ok) throw errorFromBody(response.status, await response.json().catch(() => undefined));
  const named = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: named ?? filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

import { tokenStore } from './client.js';
import { toApiError } from './errors.js';

/**
 * An attachment or thumbnail as a blob. Its url needs the agent's credentials, which an <img src> cannot
 * send (the token lives in localStorage, not a cookie), so the console fetches it and shows a blob: URL.
 */
export async function fetchAttachment(url: string): Promise<Blob> {
  const token = tokenStore.get();
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw toApiError(res.status, await res.text());
  return res.blob();
}

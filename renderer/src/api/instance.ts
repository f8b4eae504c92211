/** The instance's own settings (`/nc-api/v1/instance`): the owner's sign-up switch and public URL, and whether sign-up is open. */
import { api, send } from './client.js';
import type { InstanceSettings } from './types.js';

export const getInstanceSettings = (signal?: AbortSignal): Promise<InstanceSettings> =>
  send(api().GET('/nc-api/v1/instance/settings', { signal }));

export const setSignUp = (signup: InstanceSettings['signup']): Promise<InstanceSettings> =>
  send(api().PUT('/nc-api/v1/instance/settings', { body: { signup } }));

/** The base URL visitors use (snippets); null clears it. The server's NOVA_PUBLIC_URL still wins. */
export const setPublicUrl = (publicUrl: string | null): Promise<InstanceSettings> =>
  send(api().PUT('/nc-api/v1/instance/settings', { body: { public_url: publicUrl } }));

/** Public: whether the sign-up page can create an account here. */
export const getSignUpOpen = async (signal?: AbortSignal): Promise<boolean> =>
  (await send(api().GET('/nc-api/v1/instance/signup', { signal }))).open;

/** Signing in and signing up (`/nc-api/v1/auth`, `POST /nc-api/v1/accounts`): each answers a token. */
import { api, send } from './client.js';
import type { Me } from './types.js';

export const login = (email: string, password: string): Promise<{ token: string }> =>
  send(api().POST('/nc-api/v1/auth/login', { body: { email, password } }));

/** A new account (`name` is the company) with its owner signed in. */
export const signUp = (body: { name: string; email: string; password: string }): Promise<{ token: string }> =>
  send(api().POST('/nc-api/v1/accounts', { body }));

export const getMe = (): Promise<Me> => send(api().GET('/nc-api/v1/auth/me'));

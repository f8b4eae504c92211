/** The signed-in account's plan and usage, and (for the instance owner) every account on this machine. */
import { api, pathId, send } from './client.js';
import type { Account, AccountStatus } from './types.js';

export const getAccountStatus = (signal?: AbortSignal): Promise<AccountStatus> => send(api().GET('/nc-api/v1/account/status', { signal }));

export async function listAccounts(signal?: AbortSignal): Promise<Account[]> {
  return (await send(api().GET('/nc-api/v1/accounts', { params: { query: { per_page: 100 } }, signal }))).data;
}

export const setAccountPlan = (id: number, plan: string) =>
  send(api().PUT('/nc-api/v1/accounts/{id}/plan', { params: { path: pathId(id) }, body: { plan } }));

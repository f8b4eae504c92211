import type { Deps } from '../deps.js';
import { isUniqueViolation, nowIso } from '../db/knex.js';
import { AppError, notFound } from '../errors.js';
import * as repo from './repo.js';

const codeTaken = (code: string) =>
  new AppError(409, 'short_code_taken', `A canned response with the short code "${code}" already exists.`, [
    { field: 'short_code', message: 'is already used by another canned response' },
  ]);

/** The unique index decides (two agents saving the same code at once: one gets the 409). */
async function uniquely<T>(code: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (code !== undefined && isUniqueViolation(err)) throw codeTaken(code);
    throw err;
  }
}

export function createCannedResponse(deps: Deps, accountId: number, input: { short_code: string; content: string }) {
  return uniquely(input.short_code, () =>
    repo.insertCannedResponse(deps.db, { account_id: accountId, ...input, created_at: nowIso(deps.now()) }),
  );
}

export async function updateCannedResponse(deps: Deps, accountId: number, id: number, changes: { short_code?: string; content?: string }) {
  const row = await uniquely(changes.short_code, () =>
    repo.updateCannedResponse(deps.db, accountId, id, { ...changes, updated_at: nowIso(deps.now()) }),
  );
  if (!row) throw notFound('Canned response');
  return row;
}

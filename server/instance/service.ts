import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { deleteSetting, instanceIsEmpty, readSetting, writeSetting } from './repo.js';

export type SignUpMode = 'open' | 'closed';

/**
 * Whether new accounts may be created: open only when both the server (`NOVA_SIGNUP`) and the instance owner's
 * switch (stored in the database, so every node agrees) allow it. `closedByServer`: the switch cannot open it.
 */
export async function signUpState(db: Knex, config: Pick<Config, 'signup'>): Promise<{ mode: SignUpMode; closedByServer: boolean }> {
  const closedByServer = config.signup === 'closed';
  const ownerChoice = await readSetting(db, 'signup');
  return { mode: closedByServer || ownerChoice === 'closed' ? 'closed' : 'open', closedByServer };
}

/** Whether a sign-up would be refused now; the first account of an empty instance never is. */
export async function signUpRefused(db: Knex, config: Pick<Config, 'signup'>): Promise<boolean> {
  return (await signUpState(db, config)).mode === 'closed' && !(await instanceIsEmpty(db));
}

export async function setSignUpMode(db: Knex, config: Pick<Config, 'signup'>, mode: SignUpMode) {
  await writeSetting(db, 'signup', mode);
  return signUpState(db, config);
}

/** The owner's base URL for visitors (snippets); null clears it, back to the listen address. NOVA_PUBLIC_URL still wins. */
export async function setPublicUrlSetting(db: Knex, url: string | null): Promise<void> {
  if (url === null) await deleteSetting(db, 'public_url');
  else await writeSetting(db, 'public_url', url);
}

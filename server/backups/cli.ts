import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { connectDatabase, SQLITE_FILE } from '../db/knex.js';
import { openInstanceSecrets } from '../secrets/store.js';
import { BackupFileError } from './format.js';
import { restoreBackup, RestoreRefused } from './restore.js';
import { backupSourceOf, readInstanceSecrets, takeBackup } from './take.js';

const USAGE = `Usage:
  npm run backup -- --out FILE        write a backup of NOVA_DATA_DIR (the server may be running)
  npm run restore -- FILE [--force]   restore a backup into NOVA_DATA_DIR (empty, unless --force)
The passphrase of an encrypted backup is NOVA_BACKUP_PASSPHRASE; restore asks for it when it is not set.`;

const PG_DUMP_NOTE =
  'The database is on PostgreSQL (DATABASE_URL): back it up with pg_dump, e.g. pg_dump --format=custom "$DATABASE_URL" > nova-chat.dump, ' +
  'and restore it with pg_restore. This file holds the instance secrets (JWT secret, webhook master key), which the database dump does not.';

class UsageError extends Error {}

/** Asks on the terminal without echoing; reads one line when the input is a pipe. */
async function askPassphrase(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const lines = createInterface({ input });
    for await (const line of lines) return line;
    return '';
  }
  process.stderr.write('Passphrase of this backup: ');
  input.setRawMode(true);
  return new Promise((resolve) => {
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          input.setRawMode(false);
          input.off('data', onData);
          input.pause();
          process.stderr.write('\n');
          return resolve(typed);
        }
        if (char === '\u0003') process.exit(130);
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    input.on('data', onData).resume();
  });
}

async function backup(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  if (!values.out) throw new UsageError('backup needs --out FILE');
  const out = path.resolve(values.out);
  const config = loadConfig(process.env);
  if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, SQLITE_FILE)))
    throw new Error(`No Nova Chat database in ${config.dataDir} (set NOVA_DATA_DIR).`);
  if (fs.existsSync(out)) throw new Error(`${out} exists already; choose another name.`);
  const db = connectDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const { store } = await openInstanceSecrets({ db, secretKey: config.secretKey, dataDir: config.dataDir, mode: config.secretStore });
    const source = backupSourceOf(config, db, () => readInstanceSecrets(store));
    const { size, header } = await takeBackup(source, out, 'manual', new Date());
    if (config.databaseUrl) console.log(PG_DUMP_NOTE);
    console.log(
      `Backup written: ${out} (${size} bytes, ${header.encryption ? 'encrypted' : 'not encrypted: set NOVA_BACKUP_PASSPHRASE to encrypt'})`,
    );
  } finally {
    await db.destroy();
  }
}

async function restore(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new UsageError('restore needs one FILE');
  const file = path.resolve(positionals[0]!);
  const config = loadConfig(process.env);
  const options = { file, force: values.force, dataDir: config.dataDir, mode: config.secretStore };
  let passphrase = config.backupPassphrase;
  let header;
  try {
    header = await restoreBackup({ ...options, passphrase });
  } catch (err) {
    if (!(err instanceof BackupFileError && err.reason === 'passphrase_required' && passphrase === undefined)) throw err;
    passphrase = await askPassphrase();
    header = await restoreBackup({ ...options, passphrase });
  }
  if (header.database === 'none') console.log(PG_DUMP_NOTE.replace('back it up with pg_dump', 'restore it from its pg_dump'));
  console.log(
    `Restored the backup of ${header.created_at} into ${config.dataDir}${header.database === 'none' ? ' (instance secrets only)' : ''}. ` +
      'Start the server on it; it upgrades the database if this version is newer.',
  );
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'backup') return backup(args);
  if (command === 'restore') return restore(args);
  throw new UsageError(`unknown command ${command ?? '(none)'}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    const known = err instanceof BackupFileError || err instanceof RestoreRefused;
    console.error(known ? (err as Error).message : `Failed: ${(err as Error).message}`);
    process.exit(1);
  },
);

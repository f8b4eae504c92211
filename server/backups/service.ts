import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { LeaderLease } from '../db/leader-lease.js';
import type { Pagination } from '../db/pagination.js';
import { AppError, conflict, notFound } from '../errors.js';
import { readHeader, type BackupKind } from './format.js';
import {
  beyondKept,
  deleteBackupRow,
  findBackup,
  insertBackup,
  lastAttempts,
  listBackups,
  listedFilenames,
  type BackupRow,
} from './repo.js';
import { BACKUP_EXTENSION, backupFilename, removeUnfinished, takeBackup, type BackupSource } from './take.js';

const HOUR_MS = 3_600_000;
/** A failed scheduled backup is tried again this soon (or at the next interval, if sooner). */
const RETRY_AFTER_FAILURE_MS = HOUR_MS;
/** The first backup of an instance that never had one waits this long after the start, out of its way. */
const FIRST_BACKUP_DELAY_MS = 60_000;
/** setTimeout's ceiling (~24.8 days): longer waits wake up and look again. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Held by the server of several (on PostgreSQL) that runs the schedule; far longer than a backup takes. */
const LEASE_TTL_MS = 10 * 60_000;
/** A server that found the backup not due after all (another wrote it) looks again this soon, or at the interval. */
const RECHECK_MS = 60_000;

export type BackupsOptions = {
  db: Knex;
  log: Logger;
  now: () => Date;
  /** NOVA_DATA_DIR/backups. */
  dir: string;
  source: BackupSource;
  /** NOVA_BACKUP_INTERVAL_HOURS (0: no schedule) and NOVA_BACKUP_KEEP. */
  intervalHours: number;
  keep: number;
};

/** What the console shows on the home page: the last attempt, the last success, and whether to warn. */
export type BackupHealth = {
  last: BackupRow | undefined;
  lastOk: BackupRow | undefined;
  /** `failed`: the last attempt failed; `stale`: the last good one is older than two intervals; `none`: never backed up. */
  warning: 'failed' | 'stale' | 'none' | null;
};

/**
 * The instance's backups: written on demand (API, console) and on a schedule, one at a time, each attempt
 * recorded (a failure with its error) so the console can warn; the schedule keeps the newest `keep`.
 */
export class Backups {
  private running: Promise<BackupRow> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> | undefined;
  private stopped = false;
  private startedAt = 0;
  /** Whether the last tick found nothing to do: the next look then waits, rather than spinning on a past due time. */
  private skipped = false;
  private readonly lease: LeaderLease;

  constructor(private readonly options: BackupsOptions) {
    this.lease = new LeaderLease(options.db, 'backups', LEASE_TTL_MS);
  }

  get encrypted(): boolean {
    return Boolean(this.options.source.passphrase);
  }

  get schedule() {
    return { interval_hours: this.options.intervalHours, keep: this.options.keep };
  }

  /** Writes a backup now; one runs at a time (a second request meanwhile is a 409). */
  create(kind: BackupKind): Promise<BackupRow> {
    if (this.running) throw conflict('backup_running', 'A backup is being written right now; try again when it is done.');
    const running = this.write(kind).finally(() => {
      this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private async write(kind: BackupKind): Promise<BackupRow> {
    const { db, log, now, dir, source } = this.options;
    const at = now();
    const filename = backupFilename(kind, at);
    const base = { filename, kind, encrypted: this.encrypted, includes_database: Boolean(source.sqliteFile), created_at: at.toISOString() };
    try {
      const { size } = await takeBackup(source, path.join(dir, filename), kind, at);
      const row = await insertBackup(db, { ...base, status: 'ok', size, error: null });
      log.info({ backup: filename, size, kind }, 'backup written');
      return row;
    } catch (err) {
      const message = (err as Error).message;
      log.error({ err, backup: filename, kind }, 'backup failed');
      const row = await insertBackup(db, { ...base, status: 'failed', size: null, error: message });
      throw new AppError(500, 'backup_failed', `The backup could not be written: ${message}`, { backup_id: row.id });
    }
  }

  /** Records a backup written outside this service (the one taken before an upgrade's migrations). */
  record(row: Omit<BackupRow, 'id'>): Promise<BackupRow> {
    return insertBackup(this.options.db, row);
  }

  list(pagination: Pagination) {
    return listBackups(this.options.db, pagination);
  }

  async health(): Promise<BackupHealth> {
    const { last, lastOk } = await lastAttempts(this.options.db);
    const twoIntervals = 2 * this.options.intervalHours * HOUR_MS;
    const warning =
      last?.status === 'failed'
        ? 'failed'
        : !lastOk
          ? 'none'
          : twoIntervals > 0 && this.options.now().getTime() - Date.parse(lastOk.created_at) > twoIntervals
            ? 'stale'
            : null;
    return { last, lastOk, warning };
  }

  /** The file of a backup that was written (404 for an unknown id, a failed attempt or a file removed by hand). */
  async file(id: number): Promise<{ row: BackupRow; file: string }> {
    const row = await findBackup(this.options.db, id);
    if (!row || row.status !== 'ok') throw notFound('Backup');
    const file = path.join(this.options.dir, row.filename);
    if (!fs.existsSync(file)) throw notFound('Backup file');
    return { row, file };
  }

  async remove(id: number): Promise<void> {
    const row = await findBackup(this.options.db, id);
    if (!row) throw notFound('Backup');
    await fsp.rm(path.join(this.options.dir, row.filename), { force: true });
    await deleteBackupRow(this.options.db, id);
  }

  /** Clears what an interrupted backup left behind, lists backups the table does not know, and starts the schedule. */
  async start(): Promise<void> {
    const removed = await removeUnfinished(this.options.dir);
    if (removed.length) this.options.log.warn({ files: removed }, 'removed unfinished backups (the server stopped while writing them)');
    await this.listUnlisted();
    this.startedAt = this.options.now().getTime();
    if (this.options.intervalHours > 0) await this.scheduleNext();
  }

  /**
   * Backup files in the folder that the table does not list: the one a failed upgrade took (its migrations,
   * the row's among them, were rolled back), or a file copied in to restore from. Listed from their headers;
   * a file that is not a readable backup is left alone and logged.
   */
  private async listUnlisted(): Promise<void> {
    const { db, dir, log } = this.options;
    const names = (await fsp.readdir(dir).catch(() => [])).filter((name) => name.endsWith(BACKUP_EXTENSION));
    if (!names.length) return;
    const listed = await listedFilenames(db, names);
    for (const filename of names.filter((name) => !listed.has(name))) {
      try {
        const file = await fsp.open(path.join(dir, filename));
        const { header, size } = await readHeader(file).finally(() => file.close());
        await insertBackup(db, {
          filename,
          kind: header.kind,
          status: 'ok',
          size,
          encrypted: header.encryption !== null,
          includes_database: header.database === 'sqlite',
          error: null,
          created_at: header.created_at,
        });
        log.info({ backup: filename, kind: header.kind }, 'listed a backup file the backups table did not know');
      } catch (err) {
        log.warn({ err, backup: filename }, 'a file in the backups folder is not a readable backup; not listed');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick;
    await this.running?.catch(() => undefined);
    await this.lease.release();
  }

  /** When the next scheduled backup is due: an interval after the last attempt (sooner after a failure). */
  private async dueAt(): Promise<number> {
    const { last } = await lastAttempts(this.options.db);
    const interval = this.options.intervalHours * HOUR_MS;
    if (!last) return this.startedAt + Math.min(FIRST_BACKUP_DELAY_MS, interval);
    const wait = last.status === 'failed' ? Math.min(interval, RETRY_AFTER_FAILURE_MS) : interval;
    return Date.parse(last.created_at) + wait;
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    const soonest = this.skipped ? Math.min(RECHECK_MS, this.options.intervalHours * HOUR_MS) : 0;
    const delay = Math.min(Math.max((await this.dueAt()) - this.options.now().getTime(), soonest), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.tick = this.runScheduled().finally(() => this.scheduleNext());
    }, delay);
    this.timer.unref();
  }

  private async runScheduled(): Promise<void> {
    this.skipped = true;
    try {
      // On PostgreSQL only the server holding the lease writes it; the due time is read from the shared table.
      await this.lease.runIfHeld(async () => {
        // Another server (or a manual backup) may have written one since this timer was set.
        if ((await this.dueAt()) > this.options.now().getTime() || this.stopped || this.running) return;
        this.skipped = false;
        await this.create('scheduled');
        await this.prune();
      });
    } catch (err) {
      // A failed backup is recorded by write() and shown in the console; it is tried again at the next tick.
      if (!(err instanceof AppError)) this.options.log.error({ err }, 'scheduled backup failed');
    }
  }

  /** Removes the scheduled backups (and failed attempts) beyond the newest `keep`. */
  private async prune(): Promise<void> {
    for (const row of await beyondKept(this.options.db, this.options.keep)) await this.remove(row.id);
  }
}

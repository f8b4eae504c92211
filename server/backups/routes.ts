import fs from 'node:fs';
import { z } from 'zod';
import { listMeta } from '../db/pagination.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { parseId, settingsListQuery } from '../validation.js';
import { BACKUP_KINDS } from './format.js';
import type { BackupRow } from './repo.js';

const backupSchema = z.object({
  id: z.number().int(),
  filename: z.string(),
  kind: z.enum(BACKUP_KINDS).describe('`manual` (API, console), `scheduled`, or `pre_upgrade` (taken before migrations ran).'),
  status: z.enum(['ok', 'failed']),
  size: z.number().int().nullable().describe('Bytes; null for a failed attempt.'),
  encrypted: z.boolean().describe('Encrypted with NOVA_BACKUP_PASSPHRASE.'),
  includes_database: z.boolean().describe('False on PostgreSQL: the file holds the instance secrets; pg_dump backs up the database.'),
  error: z.string().nullable().describe('Why a failed attempt failed.'),
  created_at: z.string(),
});

const backupList = z.object({
  data: z.array(backupSchema),
  meta: z.object({
    total: z.number().int(),
    page: z.number().int(),
    per_page: z.number().int(),
    last: backupSchema.nullable().describe('The newest attempt, failed or not.'),
    last_ok: backupSchema.nullable().describe('The newest backup that was written.'),
    warning: z
      .enum(['failed', 'stale', 'none'])
      .nullable()
      .describe('`failed`: the last attempt failed; `stale`: the last backup is older than two intervals; `none`: no backup yet.'),
    interval_hours: z.number().describe('NOVA_BACKUP_INTERVAL_HOURS (0: no schedule).'),
    keep: z.number().int().describe('NOVA_BACKUP_KEEP: scheduled backups kept.'),
    encrypted: z.boolean().describe('Whether new backups are encrypted (NOVA_BACKUP_PASSPHRASE is set).'),
  }),
});

const present = (row: BackupRow) => ({ ...row });
const presentOrNull = (row: BackupRow | undefined) => (row ? present(row) : null);

export const backupRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/instance/backups',
    tag: 'Instance',
    summary: 'Write a backup now (instance owner only)',
    description:
      'A consistent snapshot of the database and the instance secrets in one file under NOVA_DATA_DIR/backups (0600), ' +
      'encrypted when NOVA_BACKUP_PASSPHRASE is set. On PostgreSQL the file holds the secrets only (back the database up with pg_dump). ' +
      'One backup runs at a time (409 `backup_running`); a failure is a 500 `backup_failed` and is recorded in the list.',
    access: 'instance_admin',
    responses: {
      201: { description: 'Backup written', schema: backupSchema },
      409: { description: 'A backup is already being written' },
      500: { description: 'The backup could not be written (recorded as a failed attempt)' },
    },
    handler: async (ctx) => present(await ctx.deps.backups.create('manual')),
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/instance/backups',
    tag: 'Instance',
    summary: 'List backups, newest first, with the last result (instance owner only)',
    access: 'instance_admin',
    query: settingsListQuery,
    responses: { 200: { description: 'Backups', schema: backupList } },
    handler: async (ctx, { query }) => {
      const { backups } = ctx.deps;
      const [{ rows, total }, health] = await Promise.all([backups.list(query), backups.health()]);
      return {
        data: rows.map(present),
        meta: {
          ...listMeta(total, query),
          last: presentOrNull(health.last),
          last_ok: presentOrNull(health.lastOk),
          warning: health.warning,
          ...backups.schedule,
          encrypted: backups.encrypted,
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/instance/backups/:id/download',
    tag: 'Instance',
    summary: 'Download a backup file (instance owner only)',
    access: 'instance_admin',
    responses: { 200: { description: 'The backup file (application/octet-stream)' }, 404: { description: 'No such backup' } },
    handler: async (ctx, { params }) => {
      const { row, file } = await ctx.deps.backups.file(parseId(params.id!)!);
      ctx.set('content-type', 'application/octet-stream');
      ctx.set('content-disposition', `attachment; filename="${row.filename}"`);
      ctx.set('cache-control', 'no-store');
      ctx.length = row.size ?? 0;
      ctx.body = fs.createReadStream(file);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/nc-api/v1/instance/backups/:id',
    tag: 'Instance',
    summary: 'Delete a backup and its file (instance owner only)',
    access: 'instance_admin',
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such backup' } },
    handler: async (ctx, { params }) => {
      await ctx.deps.backups.remove(parseId(params.id!)!);
    },
  }),
];

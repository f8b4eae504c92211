import type { BackupList } from '../../api/types.js';
import { timeAgo } from '../../components/format.js';

/** What the console says about the instance's backups, from the list's `meta` (the server decides when to warn). */
export function backupHealth(meta: BackupList['meta']): { color: 'red' | 'orange' | 'teal'; text: string } {
  const age = meta.last_ok ? `Last backup ${timeAgo(meta.last_ok.created_at)}` : 'No backup yet';
  if (meta.warning === 'failed') return { color: 'red', text: `The last backup failed: ${meta.last?.error ?? 'unknown error'}. ${age}.` };
  if (meta.warning === 'stale') return { color: 'orange', text: `${age}: older than two backup intervals.` };
  if (meta.warning === 'none') return { color: 'orange', text: 'No backup yet.' };
  return { color: 'teal', text: `${age}.` };
}

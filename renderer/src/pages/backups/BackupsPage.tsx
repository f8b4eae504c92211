import { Alert, Badge, Button, Group, Table, Text } from '@mantine/core';
import { IconDatabaseExport, IconDownload, IconLock, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { createBackup, deleteBackup, downloadBackup, listBackups } from '../../api/backups.js';
import { useApiData } from '../../api/useApiData.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ListTable } from '../../components/ListTable.js';
import { dateTime, timeAgo } from '../../components/format.js';
import { attempt } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, ListState } from '../../components/states.js';
import { backupHealth } from './backup-health.js';

const KIND_LABELS = { manual: 'manual', scheduled: 'scheduled', pre_upgrade: 'before upgrade' } as const;

const sizeOf = (bytes: number | null) =>
  bytes === null ? '—' : bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The instance owner's backups: the last result, the schedule, and each file to download or delete. */
export default function BackupsPage() {
  const backups = useApiData(listBackups, []);
  const [writing, setWriting] = useState(false);
  const meta = backups.data?.meta;
  const health = meta && backupHealth(meta);

  const backUpNow = async () => {
    setWriting(true);
    await attempt(createBackup, 'Backup written');
    setWriting(false);
    await backups.reload();
  };

  return (
    <>
      <PageHeader
        title="Backups"
        description={
          meta
            ? `${meta.interval_hours > 0 ? `Every ${meta.interval_hours} h` : 'No schedule'}, the newest ${meta.keep} scheduled ones kept, in the data folder's backups/ folder. Copy them off this machine too.`
            : undefined
        }
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => void backUpNow()} loading={writing} data-testid="backup-now">
            Back up now
          </Button>
        }
      />
      {health && meta && (
        <Alert
          color={health.color}
          mb="md"
          data-testid="backup-health"
          title={meta.warning ? 'Backups need attention' : 'Backups are up to date'}
        >
          {health.text}
          {!meta.encrypted && ' Backups are not encrypted: set NOVA_BACKUP_PASSPHRASE on the server to encrypt them.'}
        </Alert>
      )}
      <ListState
        error={backups.error}
        rows={backups.data?.data}
        empty={
          <EmptyState
            icon={<IconDatabaseExport size={26} />}
            title="No backups yet"
            description="A backup holds the whole database and the instance's secrets, so a restore brings everything back."
          />
        }
      >
        {(rows) => (
          <ListTable columns={['Backup', 'Kind', 'Size', '']} minWidth={640} testId="backups-table">
            {rows.map((b) => (
              <Table.Tr key={b.id} data-testid="backup-row">
                <Table.Td>
                  <Text size="sm" fw={550}>
                    {dateTime(b.created_at)}
                  </Text>
                  <Text size="xs" c={b.status === 'failed' ? 'red' : 'dimmed'}>
                    {b.status === 'failed' ? `Failed: ${b.error ?? ''}` : `${b.filename} · ${timeAgo(b.created_at)}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge variant="light">{KIND_LABELS[b.kind]}</Badge>
                    {b.encrypted && (
                      <Badge variant="light" color="grape" leftSection={<IconLock size={11} />}>
                        encrypted
                      </Badge>
                    )}
                    {!b.includes_database && b.status === 'ok' && (
                      <Badge variant="light" color="gray">
                        secrets only
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td fz="sm">{sizeOf(b.size)}</Table.Td>
                <Table.Td>
                  <Group justify="flex-end" gap="xs" wrap="nowrap">
                    {b.status === 'ok' && (
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconDownload size={14} />}
                        onClick={() => void attempt(() => downloadBackup(b))}
                        aria-label={`Download ${b.filename}`}
                      >
                        Download
                      </Button>
                    )}
                    <ConfirmButton
                      question={
                        b.status === 'ok' ? `Delete ${b.filename}? The file is removed from the disk.` : 'Remove this failed attempt?'
                      }
                      confirmLabel="Delete"
                      aria-label={`Delete backup ${b.id}`}
                      onConfirm={() =>
                        attempt(async () => (await deleteBackup(b.id), await backups.reload()), 'Backup deleted').then(() => undefined)
                      }
                    >
                      Delete
                    </ConfirmButton>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </ListState>
    </>
  );
}

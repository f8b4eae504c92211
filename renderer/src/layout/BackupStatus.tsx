import { Text, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconDatabaseExport } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router-dom';
import { listBackups } from '../api/backups.js';
import { useApiData } from '../api/useApiData.js';
import { backupHealth } from '../pages/backups/backup-health.js';

/** Under the navigation, for the instance owner: the last backup's age, in red or orange when backups need attention. */
export function BackupStatus() {
  // Read again on each page change, so a backup written or failed meanwhile shows.
  const { pathname } = useLocation();
  const { data } = useApiData(listBackups, [pathname]);
  if (!data) return null;
  const health = backupHealth(data.meta);
  const Icon = data.meta.warning ? IconAlertTriangle : IconDatabaseExport;
  return (
    <UnstyledButton component={Link} to="/backups" p="xs" data-testid="nav-backup-status" data-warning={data.meta.warning ?? ''}>
      <Text size="xs" c={data.meta.warning ? health.color : 'dimmed'} style={{ display: 'flex', gap: 6, alignItems: 'flex-start' }}>
        <Icon size={14} style={{ flex: 'none', marginTop: 2 }} />
        {health.text}
      </Text>
    </UnstyledButton>
  );
}

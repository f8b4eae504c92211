import { Center, Loader, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { ErrorAlert } from './ErrorAlert.js';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" aria-busy="true">
      <Stack align="center" gap="xs">
        <Loader size="sm" />
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}

export function EmptyState({
  title,
  description,
  icon,
  action,
}: {
  title: string;
  description?: React.ReactNode;
  icon?: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <Center py={48} data-testid="empty-state">
      <Stack align="center" gap="xs" maw={420} ta="center">
        <ThemeIcon size={48} radius="xl" variant="light" color="gray">
          {icon ?? <IconInbox size={26} />}
        </ThemeIcon>
        <Text fw={600}>{title}</Text>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
        {action}
      </Stack>
    </Center>
  );
}

/** The four states of a loaded list, alike on every page: its error, loading, empty, or the rows themselves. */
export function ListState<T>({
  error,
  rows,
  empty,
  children,
}: {
  error: unknown;
  rows: T[] | undefined;
  empty: React.ReactNode;
  children: (rows: T[]) => React.ReactNode;
}) {
  if (error) return <ErrorAlert error={error} />;
  if (!rows) return <LoadingState />;
  if (rows.length === 0) return <>{empty}</>;
  return <>{children(rows)}</>;
}

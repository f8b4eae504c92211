import { Badge } from '@mantine/core';
import type { ConversationStatus } from '../../api/types.js';

const COLORS: Record<ConversationStatus, string> = { open: 'blue', pending: 'orange', resolved: 'gray' };

export function StatusBadge({ status }: { status: ConversationStatus }) {
  return (
    <Badge size="xs" variant="light" color={COLORS[status] ?? 'gray'} data-testid="status-badge">
      {status}
    </Badge>
  );
}

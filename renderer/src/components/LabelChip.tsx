import { Badge, CloseButton } from '@mantine/core';
import type { Label } from '../api/types.js';

/** A label as every list shows it: its title on its colour, with a remove button when `onRemove` is given. */
export function LabelChip({ title, labels, onRemove }: { title: string; labels: Label[]; onRemove?: () => void }) {
  const color = labels.find((l) => l.title === title)?.color ?? 'gray';
  return (
    <Badge
      size="sm"
      variant="light"
      color={color}
      style={{ textTransform: 'none' }}
      data-testid="label-chip"
      rightSection={onRemove && <CloseButton size="xs" aria-label={`Remove label ${title}`} onClick={onRemove} />}
    >
      {title}
    </Badge>
  );
}

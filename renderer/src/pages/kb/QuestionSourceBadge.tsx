import { Badge } from '@mantine/core';
import type { QuestionSource } from '../../api/types.js';

const SOURCES: Record<QuestionSource, { label: string; color: string }> = {
  manual: { label: 'Added by hand', color: 'gray' },
  import: { label: 'Imported', color: 'blue' },
  visitor: { label: 'Learned from a visitor', color: 'teal' },
  agent: { label: 'Learned from an agent', color: 'violet' },
};

/** Where an alternate question came from; the learned ones stand out. */
export function QuestionSourceBadge({ source }: { source: QuestionSource }) {
  const { label, color } = SOURCES[source];
  return (
    <Badge size="sm" variant={source === 'visitor' || source === 'agent' ? 'light' : 'outline'} color={color} data-testid="question-source">
      {label}
    </Badge>
  );
}

import { Box, Group, Paper, Text } from '@mantine/core';
import { IconLock, IconRobot } from '@tabler/icons-react';
import type { Message } from '../../api/types.js';
import { dateTime } from '../../components/format.js';

const SENDER_FALLBACK = { contact: 'Visitor', bot: 'AI agent', agent: 'Agent' } as const;

/** Contact on the left, bot and agents on the right, notes in yellow, activity as a centred line. */
export function MessageBubble({ m }: { m: Message }) {
  if (m.message_type === 'activity') {
    return (
      <Text size="xs" c="dimmed" ta="center" my={6} data-testid="activity-message">
        {m.content} · {dateTime(m.created_at)}
      </Text>
    );
  }
  const mine = m.message_type === 'outgoing';
  const bg = m.private
    ? 'var(--mantine-color-yellow-light)'
    : mine
      ? 'var(--mantine-primary-color-light)'
      : 'var(--mantine-color-default-hover)';
  return (
    <Group justify={mine ? 'flex-end' : 'flex-start'} my={6} wrap="nowrap">
      <Box maw="78%">
        <Paper
          px="sm"
          py={8}
          radius="lg"
          style={{ background: bg }}
          data-testid={m.private ? 'note-message' : mine ? 'outgoing-message' : 'incoming-message'}
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {m.content}
          </Text>
        </Paper>
        <Group gap={4} justify={mine ? 'flex-end' : 'flex-start'} mt={2}>
          {m.private && <IconLock size={12} aria-label="Private note" />}
          {m.sender.type === 'bot' && <IconRobot size={12} aria-label="AI agent" />}
          <Text size="xs" c="dimmed">
            {m.sender.name || SENDER_FALLBACK[m.sender.type]} ·{' '}
            {new Date(m.created_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
            {m.private ? ' · private note' : ''}
          </Text>
        </Group>
      </Box>
    </Group>
  );
}

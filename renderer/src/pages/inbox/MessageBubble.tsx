import { Badge, Box, Group, Paper, Stack, Text } from '@mantine/core';
import { IconBook2, IconCheck, IconLock, IconRobot, IconStarFilled, IconThumbDown, IconThumbUp } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { Message } from '../../api/types.js';
import { dateTime } from '../../components/format.js';
import { Attachments } from './Attachments.js';

const SENDER_FALLBACK = { contact: 'Visitor', bot: 'AI agent', agent: 'Agent' } as const;

/** Contact on the left, bot and agents on the right, notes in yellow, activity as a centred line. */
export function MessageBubble({ m }: { m: Message }) {
  if (m.message_type === 'activity' && m.content_attributes.kind === 'csat') return <Rating m={m} />;
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
  const attributes = m.content_attributes;
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
          {m.content && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {m.content}
            </Text>
          )}
          {m.attachments.length > 0 && <Attachments files={m.attachments} />}
          {attributes.kind === 'choices' && <Choices m={m} />}
        </Paper>
        <Group gap={4} justify={mine ? 'flex-end' : 'flex-start'} mt={2}>
          {m.private && <IconLock size={12} aria-label="Private note" />}
          {m.sender.type === 'bot' && <IconRobot size={12} aria-label="AI agent" />}
          <Text size="xs" c="dimmed">
            {m.sender.name || SENDER_FALLBACK[m.sender.type]} ·{' '}
            {new Date(m.created_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
            {m.private ? ' · private note' : ''}
            {m.message_type === 'incoming' && attributes.submitted_value !== undefined ? ' · picked from the choices' : ''}
          </Text>
          {attributes.kb_item_id !== undefined && <ItemLink id={attributes.kb_item_id} />}
          {attributes.kind === 'answer' && <Feedback helpful={attributes.helpful} />}
        </Group>
      </Box>
    </Group>
  );
}

/** The choices the AI agent offered, the visitor's pick checked. */
function Choices({ m }: { m: Message }) {
  const picked = m.content_attributes.submitted_value;
  return (
    <Stack gap={4} mt={6} data-testid="choices" aria-label="Choices offered">
      {(m.content_attributes.items ?? []).map((item) => {
        const chosen = item.value === picked;
        return (
          <Group key={item.value} gap={6} wrap="nowrap" data-testid={chosen ? 'choice-picked' : 'choice'}>
            {chosen ? <IconCheck size={14} aria-label="Picked" /> : <Box w={14} />}
            <Text size="sm" fw={chosen ? 600 : 400} c={picked !== undefined && !chosen ? 'dimmed' : undefined}>
              {item.title}
            </Text>
          </Group>
        );
      })}
      {picked === undefined && (
        <Text size="xs" c="dimmed">
          No pick yet
        </Text>
      )}
    </Stack>
  );
}

/** The KB item a message answers with: the AI's answer, or an agent's reply sent from a suggestion. */
function ItemLink({ id }: { id: number }) {
  return (
    <Badge
      component={Link}
      to={`/kb/items/${id}`}
      size="xs"
      variant="light"
      color="gray"
      leftSection={<IconBook2 size={10} />}
      style={{ cursor: 'pointer' }}
      data-testid="answer-item"
    >
      KB item
    </Badge>
  );
}

/** What the visitor said to "Did that answer your question?". */
function Feedback({ helpful }: { helpful: boolean | undefined }) {
  if (helpful === undefined)
    return (
      <Text size="xs" c="dimmed" data-testid="feedback-none">
        · no feedback yet
      </Text>
    );
  return helpful ? (
    <Badge size="xs" color="teal" variant="light" leftSection={<IconThumbUp size={10} />} data-testid="feedback-helpful">
      Helpful
    </Badge>
  ) : (
    <Badge size="xs" color="red" variant="light" leftSection={<IconThumbDown size={10} />} data-testid="feedback-not-helpful">
      Not helpful
    </Badge>
  );
}

/** The visitor's CSAT rating of a resolution: its stars and comment, centred like other activity. */
function Rating({ m }: { m: Message }) {
  const rating = m.content_attributes.rating ?? 0;
  return (
    <Stack gap={2} align="center" my={8} data-testid="csat-rating">
      <Group gap={2} aria-label={`Rated ${rating} of 5`} role="img">
        {[1, 2, 3, 4, 5].map((n) => (
          <IconStarFilled key={n} size={16} color={n <= rating ? 'var(--mantine-color-yellow-6)' : 'var(--mantine-color-gray-4)'} />
        ))}
      </Group>
      <Text size="xs" c="dimmed" ta="center">
        {m.content} · {dateTime(m.created_at)}
      </Text>
    </Stack>
  );
}

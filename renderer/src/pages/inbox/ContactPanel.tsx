import { Anchor, Divider, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { contactHistory } from '../../api/conversations.js';
import type { Conversation } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { dateTime, timeAgo } from '../../components/format.js';
import { StatusBadge } from './StatusBadge.js';
import { UnverifiedBadge } from './UnverifiedBadge.js';

/**
 * Who the visitor is and what they asked before: this contact's conversations and those of everyone
 * else who gave the same e-mail, the ones nobody vouched for marked, so an unverified claim never passes
 * for the contact's own history.
 */
export function ContactPanel({ conversation }: { conversation: Conversation | undefined }) {
  const contactId = conversation?.contact?.id ?? null;
  const history = useApiData(async (signal) => (contactId === null ? [] : contactHistory(contactId, signal)), [contactId]);
  if (!conversation) return null;
  const { contact } = conversation;
  const earlier = (history.data ?? []).filter((c) => c.id !== conversation.id);

  return (
    <Stack gap="sm" p="md" data-testid="contact-panel">
      <Title order={5}>Contact</Title>
      <div>
        <Group gap={6}>
          <Text fw={600}>{contact?.name || 'Anonymous visitor'}</Text>
          <UnverifiedBadge contact={contact} />
        </Group>
        {contact?.email ? (
          <Anchor size="sm" href={`mailto:${contact.email}`}>
            {contact.email}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            No email given
          </Text>
        )}
      </div>
      <Text size="xs" c="dimmed">
        Conversation #{conversation.id} · started {dateTime(conversation.created_at)}
      </Text>
      <Divider />
      <Title order={6}>{contact?.email ? 'Earlier conversations with this e-mail' : 'Earlier conversations'}</Title>
      {contact?.email && !contact.verified && earlier.length > 0 && (
        <Text size="xs" c="dimmed" data-testid="unverified-history-note">
          This visitor&apos;s e-mail is not verified: the conversations below share it but may be someone else&apos;s.
        </Text>
      )}
      {history.loading && !history.data ? (
        <Text size="sm" c="dimmed">
          Loading…
        </Text>
      ) : history.error ? (
        <Text size="sm" c="dimmed">
          History unavailable: {history.error.message}
        </Text>
      ) : earlier.length === 0 ? (
        <Text size="sm" c="dimmed">
          This is their first conversation.
        </Text>
      ) : (
        earlier.map((c) => (
          <Anchor
            key={c.id}
            component={Link}
            to={`/inbox/${c.id}`}
            size="sm"
            style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}
          >
            <span>
              #{c.id} · {timeAgo(c.last_message_at ?? c.created_at)}
            </span>
            <Group gap={4} wrap="nowrap">
              <UnverifiedBadge contact={c.contact} />
              <StatusBadge status={c.status} />
            </Group>
          </Anchor>
        ))
      )}
    </Stack>
  );
}

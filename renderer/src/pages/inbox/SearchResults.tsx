import { Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { searchConversations, type SearchHit } from '../../api/conversations.js';
import { usePagedData } from '../../api/usePagedData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { LoadMoreButton } from '../../components/LoadMoreButton.js';
import { timeAgo } from '../../components/format.js';
import { EmptyState, LoadingState } from '../../components/states.js';
import { contactLabel } from './filters.js';
import { StatusBadge } from './StatusBadge.js';

/** The server's snippet pieces as text, the matched words in <mark>: no markup from the message ever reaches the page. */
function Snippet({ pieces }: { pieces: NonNullable<SearchHit['snippet']> }) {
  return (
    <Text size="xs" c="dimmed" lineClamp={2} data-testid="search-snippet">
      {pieces.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </Text>
  );
}

/** Conversations matching the inbox search box, best first; one opens in the inbox at its best matching message. */
export function SearchResults({ q, onSelect }: { q: string; onSelect: (id: number, messageId: number | null) => void }) {
  const results = usePagedData(
    (page, signal) => searchConversations(q, page, signal),
    [q],
    (hit) => hit.conversation.id,
  );
  if (results.error) return <ErrorAlert error={results.error} />;
  if (!results.data) return <LoadingState label="Searching…" />;
  if (results.data.rows.length === 0) return <EmptyState title="Nothing found" description="No message or contact matches every word." />;
  return (
    <Stack gap={0} role="list" aria-label="Search results">
      <Text size="xs" c="dimmed" px="sm" py={6} aria-live="polite">
        {results.data.total} found
      </Text>
      {results.data.rows.map(({ conversation: c, snippet, message }) => (
        <UnstyledButton
          key={c.id}
          role="listitem"
          aria-label={`Conversation with ${contactLabel(c)}`}
          onClick={() => onSelect(c.id, message?.id ?? null)}
          p="sm"
          style={{ display: 'block', borderBottom: '1px solid var(--mantine-color-default-border)' }}
          data-testid="search-result"
        >
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={550} truncate>
              {contactLabel(c)}
            </Text>
            <StatusBadge status={c.status} />
          </Group>
          {snippet && <Snippet pieces={snippet} />}
          {message && (
            <Text size="xs" c="dimmed">
              {message.private ? 'private note · ' : ''}
              {timeAgo(message.created_at)}
            </Text>
          )}
        </UnstyledButton>
      ))}
      <LoadMoreButton shown={results.data.rows.length} total={results.data.total} what="more" onLoadMore={results.loadMore} />
    </Stack>
  );
}

import { Badge, Button, Group, ScrollArea, Select, SegmentedControl, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconMessageCircleOff, IconRobot } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { ConversationRow, Domain, HumanAgent, Label } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { LabelChip } from '../../components/LabelChip.js';
import { LoadMoreButton } from '../../components/LoadMoreButton.js';
import { EmptyState, LoadingState } from '../../components/states.js';
import { timeAgo } from '../../components/format.js';
import { useActivity } from '../../realtime/ActivityContext.js';
import { contactLabel, type ConversationFilters } from './filters.js';
import { StatusBadge } from './StatusBadge.js';

type Props = {
  filters: ConversationFilters;
  onFilters: (f: ConversationFilters) => void;
  rows: ConversationRow[] | undefined;
  total: number;
  onLoadMore: () => Promise<void>;
  loading: boolean;
  error: unknown;
  selectedId: number | null;
  onSelect: (id: number) => void;
  domains: Domain[];
  agents: HumanAgent[];
  labels: Label[];
};

export function ConversationList({
  filters,
  onFilters,
  rows,
  total,
  onLoadMore,
  loading,
  error,
  selectedId,
  onSelect,
  domains,
  agents,
  labels,
}: Props) {
  const { unread } = useActivity();
  return (
    <Stack gap={0} h="100%">
      <Stack gap="xs" p="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <SegmentedControl
          size="xs"
          fullWidth
          aria-label="Status filter"
          value={filters.status}
          onChange={(v) => onFilters({ ...filters, status: v as ConversationFilters['status'] })}
          data={[
            { value: 'active', label: 'Active' },
            { value: 'open', label: 'Open' },
            { value: 'pending', label: 'Pending' },
            { value: 'resolved', label: 'Resolved' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Group grow gap="xs">
          <Select
            size="xs"
            aria-label="Website filter"
            placeholder="All websites"
            clearable
            value={filters.domain_id}
            onChange={(v) => onFilters({ ...filters, domain_id: v })}
            data={domains.map((d) => ({ value: String(d.id), label: d.label || d.website_url }))}
          />
          <Select
            size="xs"
            aria-label="Assignee filter"
            placeholder="Anyone"
            clearable
            value={filters.assignee}
            onChange={(v) => onFilters({ ...filters, assignee: v })}
            data={[
              { value: 'me', label: 'Assigned to me' },
              { value: 'none', label: 'Unassigned' },
              ...agents.map((a) => ({ value: String(a.id), label: a.name })),
            ]}
          />
        </Group>
        {labels.length > 0 && (
          <Select
            size="xs"
            aria-label="Label filter"
            placeholder="Any label"
            clearable
            searchable
            value={filters.label}
            onChange={(v) => onFilters({ ...filters, label: v })}
            data={labels.map((l) => l.title)}
          />
        )}
        <Text size="xs" c="dimmed" aria-live="polite">
          {loading && !rows ? 'Loading…' : `${total} conversation${total === 1 ? '' : 's'}`}
        </Text>
      </Stack>
      <ScrollArea style={{ flex: 1 }} type="auto">
        {error ? (
          <div style={{ padding: 12 }}>
            <ErrorAlert error={error} />
          </div>
        ) : !rows ? (
          <LoadingState />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<IconMessageCircleOff size={26} />}
            title="No conversations here"
            description={
              domains.length === 0
                ? 'Add your website and paste its snippet: chats appear here the moment a visitor writes.'
                : 'New chats from your website widget appear here the moment a visitor writes.'
            }
            action={
              domains.length === 0 && (
                <Button component={Link} to="/onboarding" size="xs">
                  Set up your website
                </Button>
              )
            }
          />
        ) : (
          <nav aria-label="Conversations" data-testid="conversation-list">
            {rows.map((c) => (
              <ConversationRow
                key={c.id}
                c={c}
                labels={labels}
                selected={c.id === selectedId}
                unread={unread[c.id] ?? 0}
                onSelect={onSelect}
              />
            ))}
            <LoadMoreButton shown={rows.length} total={total} what="older" onLoadMore={onLoadMore} />
          </nav>
        )}
      </ScrollArea>
    </Stack>
  );
}

function ConversationRow({
  c,
  labels,
  selected,
  unread,
  onSelect,
}: {
  c: ConversationRow;
  labels: Label[];
  selected: boolean;
  unread: number;
  onSelect: (id: number) => void;
}) {
  const preview = c.last_message?.content ?? '';
  return (
    <UnstyledButton
      onClick={() => onSelect(c.id)}
      data-testid={`conversation-row-${c.id}`}
      aria-current={selected ? 'true' : undefined}
      aria-label={`Conversation with ${contactLabel(c)}${unread ? `, ${unread} unread` : ''}`}
      w="100%"
      p="sm"
      style={{
        display: 'block',
        borderBottom: '1px solid var(--mantine-color-default-border)',
        background: selected ? 'var(--mantine-primary-color-light)' : undefined,
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text fw={unread ? 700 : 550} size="sm" truncate>
          {contactLabel(c)}
        </Text>
        <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
          {timeAgo(c.last_message_at ?? c.updated_at ?? c.created_at)}
        </Text>
      </Group>
      <Group justify="space-between" wrap="nowrap" gap="xs" mt={4}>
        <Text size="xs" c="dimmed" truncate style={{ flex: 1 }}>
          {preview || `#${c.id}`}
        </Text>
        <Group gap={4} wrap="nowrap">
          {c.bot_active && <IconRobot size={14} aria-label="AI agent answering" />}
          <StatusBadge status={c.status} />
          {unread === 0 && (c.unanswered_count ?? 0) > 0 && c.status !== 'resolved' && (
            <Badge size="xs" variant="outline" color="gray" title="Messages waiting for a reply">
              {c.unanswered_count}
            </Badge>
          )}
          {unread > 0 && (
            <Badge size="xs" circle color="red" data-testid="unread-badge">
              {unread}
            </Badge>
          )}
        </Group>
      </Group>
      {c.labels.length > 0 && (
        <Group gap={4} mt={6} aria-label="Labels">
          {c.labels.map((title) => (
            <LabelChip key={title} title={title} labels={labels} />
          ))}
        </Group>
      )}
    </UnstyledButton>
  );
}

import { ActionIcon, Box, Button, Group, ScrollArea, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconArrowLeft, IconCheck, IconRefresh, IconRobot, IconSparkles } from '@tabler/icons-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { analyzeConversation } from '../../api/agentic-rag.js';
import { assignConversation, setConversationStatus } from '../../api/conversations.js';
import { setConversationLabels } from '../../api/labels.js';
import type { Conversation, ConversationStatus, HumanAgent, Label, Suggestion } from '../../api/types.js';
import { useMe } from '../../auth/AuthContext.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { LabelChip } from '../../components/LabelChip.js';
import { attempt, notifySuccess } from '../../components/notify.js';
import { LoadingState } from '../../components/states.js';
import { contactLabel } from './filters.js';
import { UnverifiedBadge } from './UnverifiedBadge.js';
import { AssistPanel, AssistStrip, useSuggestions } from './AssistPanel.js';
import { Composer, type InsertedAnswer } from './Composer.js';
import { ContactPanel } from './ContactPanel.js';
import { MessageBubble } from './MessageBubble.js';
import { StatusBadge } from './StatusBadge.js';
import { useConversation } from './useConversation.js';
import { useScrollToMessage } from './useScrollToMessage.js';

type Props = {
  id: number;
  /** A message to show (an inbox search hit): scrolled to, flashed, and marked while it is the one asked for. */
  focusMessageId?: number | null;
  /** Tells one request to show it from the next (the same hit opened again scrolls to it again). */
  focusRequest?: string;
  agents: HumanAgent[];
  labels: Label[];
  onBack: () => void;
  onChanged: (c: Conversation) => void;
};

export function ConversationView({ id, focusMessageId = null, focusRequest = '', agents, labels, onBack, onChanged }: Props) {
  const me = useMe();
  const { data, error, loading, setData, addMessage, loadEarlier, typing } = useConversation(id);
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const [inserted, setInserted] = useState<InsertedAnswer | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const viewport = useRef<HTMLDivElement>(null);
  /** Distance from the bottom before older messages were prepended, so the reader stays where they were. */
  const keepFromBottom = useRef<number | null>(null);
  const newestId = data?.messages.at(-1)?.id;
  const latestContactMessageId = data?.messages.findLast((m) => m.message_type === 'incoming' && m.sender.type === 'contact')?.id;
  const suggestions = useSuggestions(id, latestContactMessageId);
  const insert = ({ item }: Suggestion) => {
    setInserted({ itemId: item.id, title: item.title, content: item.content, nonce: Date.now() });
    composer.current?.focus();
  };
  const oldestId = data?.messages[0]?.id;

  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [newestId, id]);
  useLayoutEffect(() => {
    const el = viewport.current;
    if (el && keepFromBottom.current !== null) el.scrollTop = el.scrollHeight - keepFromBottom.current;
    keepFromBottom.current = null;
  }, [oldestId]);
  const flashing = useScrollToMessage(viewport, focusMessageId, focusRequest, data, loadEarlier);

  async function showEarlier() {
    const el = viewport.current;
    keepFromBottom.current = el ? el.scrollHeight - el.scrollTop : null;
    setLoadingEarlier(true);
    if (!(await attempt(loadEarlier))) keepFromBottom.current = null;
    setLoadingEarlier(false);
  }

  async function apply(change: () => Promise<Conversation>, success: string) {
    await attempt(async () => {
      const updated = await change();
      setData((d) => d && { ...d, conversation: { ...d.conversation, ...updated } });
      onChanged(updated);
    }, success);
  }

  const setLabels = (titles: string[], success: string) => apply(() => setConversationLabels(id, titles), success);

  const setStatus = (status: ConversationStatus, label: string, bot?: boolean) =>
    apply(() => setConversationStatus(id, status, bot), label);
  /**
   * Focus moves in the key's own handler (the hotkey cancels the key, so its letter is not typed): keys
   * typed right after `n` land in the note, never on the page, where `e` would resolve the conversation
   * and `r` would turn the note into a reply the visitor sees.
   */
  const focusComposer = (m: 'reply' | 'note') => {
    setMode(m);
    composer.current?.focus();
  };

  useHotkeys([
    ['r', () => focusComposer('reply')],
    ['n', () => focusComposer('note')],
    ['e', () => data && data.conversation.status !== 'resolved' && setStatus('resolved', 'Conversation resolved')],
    ['b', () => setStatus('open', 'Handed back to the AI agent', true)],
    ['a', () => me.agent_id !== null && apply(() => assignConversation(id, me.agent_id), 'Assigned to you')],
  ]);

  if (error)
    return (
      <div style={{ padding: 16 }}>
        <ErrorAlert error={error} />
      </div>
    );
  if (!data || (loading && data.conversation.id !== id)) return <LoadingState label="Loading conversation…" />;
  const c = data.conversation;
  const assignee = c.assignee?.id ?? null;

  return (
    <Group gap={0} h="100%" wrap="nowrap" align="stretch">
      <Stack gap={0} h="100%" style={{ flex: 1, minWidth: 0 }} data-testid="conversation-view">
        <Group
          p="sm"
          justify="space-between"
          wrap="wrap"
          gap="xs"
          style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
        >
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <ActionIcon variant="subtle" onClick={onBack} hiddenFrom="md" aria-label="Back to conversations">
              <IconArrowLeft size={18} />
            </ActionIcon>
            <div style={{ minWidth: 0 }}>
              <Text fw={600} truncate data-testid="conversation-contact">
                {contactLabel(c)}
              </Text>
              <Group gap={6}>
                <StatusBadge status={c.status} />
                <UnverifiedBadge contact={c.contact} />
                {c.bot_active && (
                  <Text size="xs" c="dimmed">
                    AI agent answering
                  </Text>
                )}
              </Group>
            </div>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Select
              size="xs"
              w={160}
              aria-label="Assign to"
              placeholder="Unassigned"
              value={assignee === null ? null : String(assignee)}
              onChange={(v) => apply(() => assignConversation(id, v ? Number(v) : null), v ? 'Conversation assigned' : 'Unassigned')}
              data={agents.map((a) => ({ value: String(a.id), label: a.id === me.agent_id ? `${a.name} (me)` : a.name }))}
              clearable
            />
            <Tooltip label="Hand back to the AI agent (b)">
              <ActionIcon
                variant="default"
                size="lg"
                aria-label="Hand back to the AI agent"
                onClick={() => setStatus('open', 'Handed back to the AI agent', true)}
              >
                <IconRobot size={18} />
              </ActionIcon>
            </Tooltip>
            {c.status === 'resolved' && (
              <Tooltip label="Turn this conversation into knowledge base drafts (agentic RAG)">
                <ActionIcon
                  variant="default"
                  size="lg"
                  aria-label="Extract Q&A drafts"
                  onClick={() => void attempt(async () => notifySuccess((await analyzeConversation(id)).message))}
                >
                  <IconSparkles size={18} />
                </ActionIcon>
              </Tooltip>
            )}
            {c.status === 'resolved' ? (
              <Button
                size="xs"
                variant="default"
                leftSection={<IconRefresh size={14} />}
                onClick={() => setStatus('open', 'Conversation reopened')}
              >
                Reopen
              </Button>
            ) : (
              <Button
                size="xs"
                color="teal"
                leftSection={<IconCheck size={14} />}
                onClick={() => setStatus('resolved', 'Conversation resolved')}
                data-testid="resolve-button"
              >
                Resolve
              </Button>
            )}
          </Group>
        </Group>
        <Group
          px="sm"
          py={6}
          gap={6}
          style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
          data-testid="conversation-labels"
        >
          {c.labels.map((title) => (
            <LabelChip
              key={title}
              title={title}
              labels={labels}
              onRemove={() =>
                void setLabels(
                  c.labels.filter((l) => l !== title),
                  `Label ${title} removed`,
                )
              }
            />
          ))}
          {labels.some((l) => !c.labels.includes(l.title)) ? (
            <Select
              size="xs"
              w={150}
              aria-label="Add label"
              placeholder="+ Add label"
              searchable
              value={null}
              onChange={(v) => v && void setLabels([...c.labels, v], `Label ${v} added`)}
              data={labels.filter((l) => !c.labels.includes(l.title)).map((l) => l.title)}
            />
          ) : (
            labels.length === 0 && (
              <Text size="xs" c="dimmed" component={Link} to="/settings/labels">
                Create labels to file conversations
              </Text>
            )
          )}
        </Group>
        <ScrollArea style={{ flex: 1 }} viewportRef={viewport} px="md" py="xs" data-testid="message-list" aria-live="polite">
          {data.hasEarlier && (
            <Group justify="center" py="xs">
              <Button size="xs" variant="subtle" loading={loadingEarlier} onClick={() => void showEarlier()}>
                Load earlier messages
              </Button>
            </Group>
          )}
          {data.messages.length === 0 ? (
            <Text c="dimmed" size="sm" ta="center" py="xl">
              No messages yet.
            </Text>
          ) : (
            data.messages.map((m) => (
              <Box
                key={m.id}
                data-message-id={m.id}
                aria-current={m.id === focusMessageId ? 'true' : undefined}
                px={6}
                style={{
                  borderRadius: 'var(--mantine-radius-md)',
                  // On at once, then fading out; the found message keeps a bar at its side.
                  background: m.id === flashing ? 'var(--mantine-color-yellow-light)' : undefined,
                  transition: m.id === flashing ? undefined : 'background-color 1.2s ease-out',
                  boxShadow: m.id === focusMessageId ? 'inset 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
                }}
              >
                <MessageBubble m={m} />
              </Box>
            ))
          )}
          {typing && (
            <Text size="xs" c="dimmed" fs="italic" data-testid="typing-indicator">
              {typing} is typing…
            </Text>
          )}
        </ScrollArea>
        <Box style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <Box hiddenFrom="lg">
            <AssistStrip suggestions={suggestions} onInsert={insert} />
          </Box>
          <Composer ref={composer} conversationId={id} mode={mode} onMode={setMode} onSent={addMessage} inserted={inserted} />
        </Box>
      </Stack>
      <Box w={300} visibleFrom="lg" style={{ borderLeft: '1px solid var(--mantine-color-default-border)', overflowY: 'auto' }}>
        <AssistPanel suggestions={suggestions} onInsert={insert} />
        <Box style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <ContactPanel conversation={c} />
        </Box>
      </Box>
    </Group>
  );
}

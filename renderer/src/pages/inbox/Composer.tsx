import { Badge, Button, CloseButton, Group, Kbd, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { IconBook2 } from '@tabler/icons-react';
import { forwardRef, useEffect, useRef, useState } from 'react';
import { sendMessage } from '../../api/conversations.js';
import type { Message } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useRealtimeSend } from '../../realtime/RealtimeContext.js';

/** A KB answer put in the composer from agent assist; `nonce` tells one insert from the next of the same item. */
export type InsertedAnswer = { itemId: number; title: string; content: string; nonce: number };

type Props = {
  conversationId: number;
  mode: 'reply' | 'note';
  onMode: (m: 'reply' | 'note') => void;
  onSent: (m: Message) => void;
  inserted: InsertedAnswer | null;
};

/**
 * Reply to the visitor, or leave a private note only the team sees. Enter sends, Shift+Enter breaks the line.
 * A reply that started from an inserted KB answer is sent with its item (the AI agent learns the visitor's
 * questions from it) until the text is cleared or the item is detached.
 */
export const Composer = forwardRef<HTMLTextAreaElement, Props>(function Composer({ conversationId, mode, onMode, onSent, inserted }, ref) {
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<{ itemId: number; title: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const note = mode === 'note';
  const sendRealtime = useRealtimeSend();
  const lastTyping = useRef(0);

  useEffect(() => {
    if (!inserted) return;
    setText(inserted.content);
    setAnswer({ itemId: inserted.itemId, title: inserted.title });
    onMode('reply');
    // One insert per nonce, whatever else re-renders.
  }, [inserted?.nonce]);
  useEffect(() => setAnswer(null), [conversationId]);

  // Tell the visitor an agent is typing, at most every 3 s; never for private notes.
  function relayTyping(value: string) {
    if (note || !value || Date.now() - lastTyping.current < 3000) return;
    lastTyping.current = Date.now();
    sendRealtime({ type: 'typing', conversation_id: conversationId, typing: true });
  }

  async function send() {
    const content = text.trim();
    if (!content || busy) return;
    setBusy(true);
    setError(null);
    try {
      onSent(await sendMessage(conversationId, content, note, note ? undefined : answer?.itemId));
      setText('');
      setAnswer(null);
      if (!note) sendRealtime({ type: 'typing', conversation_id: conversationId, typing: false });
      lastTyping.current = 0;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="xs" p="sm">
      {error !== null && <ErrorAlert error={error} />}
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          aria-label="Message kind"
          value={mode}
          onChange={(v) => onMode(v as 'reply' | 'note')}
          data={[
            { value: 'reply', label: 'Reply' },
            { value: 'note', label: 'Private note' },
          ]}
        />
        <Text size="xs" c="dimmed" visibleFrom="sm">
          <Kbd size="xs">Enter</Kbd> send · <Kbd size="xs">Shift</Kbd>+<Kbd size="xs">Enter</Kbd> new line
        </Text>
      </Group>
      <Textarea
        ref={ref}
        aria-label={note ? 'Private note' : 'Reply'}
        data-testid="composer-input"
        placeholder={note ? 'Write a note for your team (the visitor never sees it)…' : 'Write a reply…'}
        autosize
        minRows={2}
        maxRows={8}
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          if (!e.currentTarget.value.trim()) setAnswer(null);
          relayTyping(e.currentTarget.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void send();
          }
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
        styles={note ? { input: { background: 'var(--mantine-color-yellow-light)' } } : undefined}
      />
      <Group justify={answer && !note ? 'space-between' : 'flex-end'} wrap="nowrap">
        {answer && !note && (
          <Badge
            variant="light"
            size="lg"
            leftSection={<IconBook2 size={14} />}
            rightSection={<CloseButton size="xs" aria-label="Send without the KB item" onClick={() => setAnswer(null)} />}
            style={{ textTransform: 'none', minWidth: 0 }}
            data-testid="composer-answer"
          >
            <Text span size="xs" truncate>
              Answering with: {answer.title}
            </Text>
          </Badge>
        )}
        <Button onClick={send} loading={busy} disabled={!text.trim()} color={note ? 'yellow' : undefined} data-testid="send-message">
          {note ? 'Add note' : 'Send reply'}
        </Button>
      </Group>
    </Stack>
  );
});

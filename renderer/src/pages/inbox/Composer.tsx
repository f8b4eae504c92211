import { Button, Group, Kbd, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { forwardRef, useRef, useState } from 'react';
import { sendMessage } from '../../api/conversations.js';
import type { Message } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useRealtimeSend } from '../../realtime/RealtimeContext.js';

type Props = { conversationId: number; mode: 'reply' | 'note'; onMode: (m: 'reply' | 'note') => void; onSent: (m: Message) => void };

/** Reply to the visitor, or leave a private note only the team sees. Enter sends, Shift+Enter breaks the line. */
export const Composer = forwardRef<HTMLTextAreaElement, Props>(function Composer({ conversationId, mode, onMode, onSent }, ref) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const note = mode === 'note';
  const sendRealtime = useRealtimeSend();
  const lastTyping = useRef(0);

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
      onSent(await sendMessage(conversationId, content, note));
      setText('');
      if (!note) sendRealtime({ type: 'typing', conversation_id: conversationId, typing: false });
      lastTyping.current = 0;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="xs" p="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
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
      <Group justify="flex-end">
        <Button onClick={send} loading={busy} disabled={!text.trim()} color={note ? 'yellow' : undefined} data-testid="send-message">
          {note ? 'Add note' : 'Send reply'}
        </Button>
      </Group>
    </Stack>
  );
});

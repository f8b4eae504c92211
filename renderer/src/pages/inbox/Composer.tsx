import { Badge, Button, CloseButton, Combobox, Group, Kbd, SegmentedControl, Stack, Text, Textarea, useCombobox } from '@mantine/core';
import { IconBook2 } from '@tabler/icons-react';
import { forwardRef, useEffect, useRef, useState } from 'react';
import { listCannedResponses } from '../../api/canned-responses.js';
import { sendMessage, sendMessageWithFiles } from '../../api/conversations.js';
import { useApiData } from '../../api/useApiData.js';
import type { Message } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useRealtimeSend } from '../../realtime/RealtimeContext.js';
import { AttachButton, FilePreviews } from './ComposerFiles.js';

/** A KB answer put in the composer from agent assist; `nonce` tells one insert from the next of the same item. */
export type InsertedAnswer = { itemId: number; title: string; content: string; nonce: number };

type Props = {
  conversationId: number;
  mode: 'reply' | 'note';
  onMode: (m: 'reply' | 'note') => void;
  onSent: (m: Message) => void;
  inserted: InsertedAnswer | null;
};

/** `/code` right before the caret, at the start of the text or after a space: what the canned-response picker looks for. */
function slashQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const m = /(?:^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(text.slice(0, caret));
  return m ? { start: caret - m[1]!.length - 1, query: m[1]! } : null;
}

/**
 * Reply to the visitor, or leave a private note only the team sees. Enter sends, Shift+Enter breaks the line.
 * A reply that started from an inserted KB answer is sent with its item (the AI agent learns the visitor's
 * questions from it) until the text is cleared or the item is detached. Typing `/` opens the canned responses
 * (filtered by what follows it; arrows move, Enter or a click inserts one in place of `/code`, Esc closes).
 */
export const Composer = forwardRef<HTMLTextAreaElement, Props>(function Composer({ conversationId, mode, onMode, onSent, inserted }, ref) {
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<{ itemId: number; title: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const addFiles = (more: File[]) => {
    if (more.length) setFiles((f) => [...f, ...more]);
  };
  const [error, setError] = useState<unknown>(null);
  const note = mode === 'note';
  const sendRealtime = useRealtimeSend();
  const lastTyping = useRef(0);
  const input = useRef<HTMLTextAreaElement | null>(null);
  const [slash, setSlash] = useState<{ start: number; end: number; query: string } | null>(null);
  const picker = useCombobox({ onDropdownClose: () => setSlash(null) });
  const canned = useApiData(async (signal) => (slash ? listCannedResponses(slash.query, signal) : []), [slash?.query ?? null]);
  const options = slash ? (canned.data ?? []) : [];
  const pickerOpen = slash !== null && options.length > 0;

  useEffect(() => {
    if (pickerOpen) {
      picker.openDropdown();
      picker.selectFirstOption();
    } else picker.closeDropdown();
  }, [pickerOpen, canned.data]);

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

  function findSlash(value: string, caret: number | null) {
    const found = caret === null ? null : slashQueryAt(value, caret);
    setSlash(found && { ...found, end: caret! });
  }

  /** Puts the picked response's text where `/code` was, the caret after it. */
  function expand(id: string) {
    const response = options.find((r) => String(r.id) === id);
    if (!response || !slash) return;
    const next = text.slice(0, slash.start) + response.content + text.slice(slash.end);
    const caret = slash.start + response.content.length;
    setText(next);
    setSlash(null);
    requestAnimationFrame(() => input.current?.setSelectionRange(caret, caret));
  }

  async function send() {
    const content = text.trim();
    if ((!content && !files.length) || busy) return;
    setBusy(true);
    setError(null);
    // Cleared at once (the message can arrive over the socket before the response); given back if it fails.
    const sending = { text, files, answer };
    setText('');
    setFiles([]);
    setAnswer(null);
    try {
      onSent(
        sending.files.length
          ? await sendMessageWithFiles(conversationId, content, note, sending.files)
          : await sendMessage(conversationId, content, note, note ? undefined : sending.answer?.itemId),
      );
      if (!note) sendRealtime({ type: 'typing', conversation_id: conversationId, typing: false });
      lastTyping.current = 0;
    } catch (err) {
      setText((typed) => typed || sending.text);
      setFiles((added) => [...sending.files, ...added]);
      setAnswer((picked) => picked ?? sending.answer);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack
      gap="xs"
      p="sm"
      onDragOver={(e) => e.dataTransfer.types.includes('Files') && e.preventDefault()}
      onDrop={(e) => {
        if (!e.dataTransfer.files.length) return;
        e.preventDefault();
        addFiles([...e.dataTransfer.files]);
      }}
    >
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
      <Combobox store={picker} onOptionSubmit={expand} position="top-start" width="target" withinPortal={false}>
        <Combobox.Target withKeyboardNavigation={pickerOpen} withAriaAttributes={pickerOpen} withExpandedAttribute>
          <Textarea
            ref={(node: HTMLTextAreaElement | null) => {
              input.current = node;
              if (typeof ref === 'function') ref(node);
              else if (ref) ref.current = node;
            }}
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
              findSlash(e.currentTarget.value, e.currentTarget.selectionStart);
            }}
            onClick={(e) => findSlash(e.currentTarget.value, e.currentTarget.selectionStart)}
            onKeyDown={(e) => {
              // While the picker is open its keys (arrows, Enter, Esc) are the picker's.
              if (pickerOpen && (e.key === 'Escape' || (e.key === 'Enter' && picker.getSelectedOptionIndex() !== -1))) return;
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void send();
              }
              if (e.key === 'Escape') e.currentTarget.blur();
            }}
            styles={note ? { input: { background: 'var(--mantine-color-yellow-light)' } } : undefined}
          />
        </Combobox.Target>
        <Combobox.Dropdown hidden={!pickerOpen}>
          <Combobox.Options aria-label="Canned responses" mah={240} style={{ overflowY: 'auto' }}>
            {options.map((r) => (
              <Combobox.Option value={String(r.id)} key={r.id}>
                <Text size="sm" ff="monospace" fw={600}>
                  /{r.short_code}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {r.content}
                </Text>
              </Combobox.Option>
            ))}
          </Combobox.Options>
        </Combobox.Dropdown>
      </Combobox>
      <FilePreviews files={files} onRemove={(file) => setFiles((f) => f.filter((x) => x !== file))} />
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
        <Group gap="xs" ml="auto" wrap="nowrap">
          <AttachButton onFiles={addFiles} disabled={busy} />
          <Button
            onClick={send}
            loading={busy}
            disabled={!text.trim() && !files.length}
            color={note ? 'yellow' : undefined}
            data-testid="send-message"
          >
            {note ? 'Add note' : 'Send reply'}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
});

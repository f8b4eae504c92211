import { Button, Card, Group, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconArrowBarToDown, IconBulb } from '@tabler/icons-react';
import { suggestionsFor } from '../../api/conversations.js';
import type { Suggestion } from '../../api/types.js';
import { useApiData, type ApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { ScoreBar } from '../kb/ScoreBar.js';

const SUGGESTIONS = 3;

/**
 * Agent assist: the KB answers that best match the visitor's latest question(s), looked up again whenever the
 * visitor writes (`latestContactMessageId` changes).
 */
export function useSuggestions(conversationId: number, latestContactMessageId: number | undefined): ApiData<Suggestion[]> {
  return useApiData(
    (signal) => (latestContactMessageId === undefined ? Promise.resolve([]) : suggestionsFor(conversationId, SUGGESTIONS, signal)),
    [conversationId, latestContactMessageId],
  );
}

type Props = { suggestions: ApiData<Suggestion[]>; onInsert: (suggestion: Suggestion) => void };

const insertLabel = (s: Suggestion) => `Insert the answer to ${s.item.title}`;

/**
 * Beside the conversation on wide screens: each suggested answer with its score. "Insert" puts it in the
 * composer; sent from there, it teaches the AI agent the visitor's wording.
 */
export function AssistPanel({ suggestions, onInsert }: Props) {
  return (
    <Stack gap={6} p="sm" data-testid="assist-panel" aria-label="Suggested answers" role="region">
      <Group gap={6}>
        <IconBulb size={16} />
        <Title order={4} size="sm">
          Suggested answers
        </Title>
      </Group>
      {suggestions.error && <ErrorAlert error={suggestions.error} />}
      {suggestions.data?.length === 0 && (
        <Text size="xs" c="dimmed">
          Nothing in the knowledge base matches the visitor&apos;s latest question.
        </Text>
      )}
      {suggestions.data?.map((s) => (
        <Card key={s.item.id} withBorder padding="xs" radius="md" data-testid="suggestion">
          <Text size="sm" fw={600} lineClamp={2}>
            {s.item.title}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={3}>
            {s.item.content}
          </Text>
          <Group justify="space-between" mt={6} wrap="nowrap" gap="xs">
            <ScoreBar score={s.score} width={110} />
            <Button
              size="compact-xs"
              variant="light"
              leftSection={<IconArrowBarToDown size={12} />}
              onClick={() => onInsert(s)}
              aria-label={insertLabel(s)}
            >
              Insert
            </Button>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

/** Above the composer on narrower screens: the same suggestions as a row of insert buttons. */
export function AssistStrip({ suggestions, onInsert }: Props) {
  if (!suggestions.data?.length) return null;
  return (
    <ScrollArea type="never" px="sm" pt="xs" data-testid="assist-strip">
      <Group gap={6} wrap="nowrap" aria-label="Suggested answers" role="region">
        <IconBulb size={14} />
        {suggestions.data.map((s) => (
          <Button
            key={s.item.id}
            size="compact-xs"
            variant="light"
            leftSection={<IconArrowBarToDown size={12} />}
            onClick={() => onInsert(s)}
            aria-label={insertLabel(s)}
            maw={260}
          >
            <Text span size="xs" truncate>
              {s.item.title}
            </Text>
          </Button>
        ))}
      </Group>
    </ScrollArea>
  );
}

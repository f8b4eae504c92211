import { Alert, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconMessageQuestion, IconRobot } from '@tabler/icons-react';
import { useState } from 'react';
import { searchKb } from '../../api/kb.js';
import type { AiAgent, KbSearch } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { ScoreBar } from '../kb/ScoreBar.js';

/**
 * Asks the knowledge base what the agent would retrieve for a question: the best item is the
 * answer it gives without a language model, the others are the context it would be given.
 */
export function TryItPanel({ agent }: { agent: AiAgent | null }) {
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState<KbSearch | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function ask(e: React.FormEvent) {
    e.preventDefault();
    if (!question.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setAnswer(await searchKb(question.trim(), 3));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const best = answer?.data[0];
  const handsOff = answer && (!best || best.score < answer.match_threshold);

  return (
    <Paper withBorder p="md" data-testid="try-it-panel">
      <Title order={4} mb="xs">
        Try it
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Ask {agent ? agent.bot_name : 'the agent'} a question and see which knowledge base items it would use.
      </Text>
      <form onSubmit={ask}>
        <Group gap="xs" align="flex-end">
          <TextInput
            aria-label="Question for the agent"
            placeholder="Do you ship to Canada?"
            value={question}
            onChange={(e) => setQuestion(e.currentTarget.value)}
            leftSection={<IconMessageQuestion size={16} />}
            style={{ flex: 1 }}
          />
          <Button type="submit" loading={busy}>
            Ask
          </Button>
        </Group>
      </form>
      {error !== null && <ErrorAlert error={error} />}
      {answer && (
        <Stack gap="xs" mt="md">
          {handsOff ? (
            <Alert color="orange" title="Hands over to a human" icon={<IconRobot size={18} />}>
              Nothing in the knowledge base answers this well enough, so the agent would say so and mark the conversation pending for your
              team.
            </Alert>
          ) : (
            best && (
              <Alert
                color="indigo"
                title={`${agent?.bot_name ?? 'The agent'} would answer`}
                icon={<IconRobot size={18} />}
                data-testid="try-it-answer"
              >
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {best.item.content}
                </Text>
              </Alert>
            )
          )}
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            Knowledge base items used
          </Text>
          {answer.data.map((hit, i) => (
            <Group key={hit.item.id} justify="space-between" wrap="nowrap" gap="xs" data-testid="try-it-source">
              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                <Badge size="sm" variant={i === 0 ? 'filled' : 'light'} circle>
                  {i + 1}
                </Badge>
                <Text size="sm" truncate>
                  {hit.item.title}
                </Text>
              </Group>
              <ScoreBar score={hit.score} />
            </Group>
          ))}
          {answer.data.length === 0 && (
            <Text size="sm" c="dimmed">
              None: the knowledge base is empty or nothing is related.
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}

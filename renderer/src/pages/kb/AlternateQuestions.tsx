import { ActionIcon, Button, Group, Paper, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { isNotEmpty } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { addQuestion, removeQuestion } from '../../api/kb.js';
import type { KbItem, KbQuestion } from '../../api/types.js';
import { timeAgo } from '../../components/format.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
import { attempt } from '../../components/notify.js';
import { QuestionSourceBadge } from './QuestionSourceBadge.js';

/** The contract's limit per item. */
const MAX_QUESTIONS = 50;

type Props = { item: KbItem; onChange: (questions: KbQuestion[]) => void };

/**
 * Other ways customers ask for this item: the AI agent matches each like the title. Learned ones (from visitors'
 * picks and agents' replies) are marked by their source and can be removed like any other.
 */
export function AlternateQuestions({ item, onChange }: Props) {
  const questions = item.questions;
  const apiForm = useApiForm({
    initialValues: { question: '' },
    validate: { question: isNotEmpty('Write how a customer would ask it') },
    submit: ({ question }) => addQuestion(item.id, question),
    onSaved: (added) => {
      if (!questions.some((q) => q.id === added.id)) onChange([...questions, added]);
      apiForm.form.reset();
    },
  });

  return (
    <Paper withBorder p="md" data-testid="alternate-questions">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          Alternate questions
        </Title>
        <Text size="xs" c="dimmed">
          {questions.length} / {MAX_QUESTIONS}
        </Text>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        Other ways customers ask for this answer. A visitor who writes one of them gets this item.
      </Text>
      <form onSubmit={apiForm.onSubmit} noValidate>
        <Stack gap="xs" mb="sm">
          <FormErrorAlert form={apiForm} />
          <Group align="flex-start" gap="xs" wrap="nowrap">
            <TextInput
              aria-label="New alternate question"
              placeholder="e.g. my parcel is late, where is it?"
              style={{ flex: 1 }}
              {...apiForm.form.getInputProps('question')}
            />
            <Button type="submit" loading={apiForm.busy} leftSection={<IconPlus size={14} />} disabled={questions.length >= MAX_QUESTIONS}>
              Add
            </Button>
          </Group>
        </Stack>
      </form>
      {questions.length === 0 ? (
        <Text size="sm" c="dimmed">
          None yet. The AI agent also learns them from your visitors and your team.
        </Text>
      ) : (
        <Stack gap={0}>
          {questions.map((q) => (
            <Group
              key={q.id}
              gap="xs"
              wrap="nowrap"
              py={6}
              style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
              data-testid="alternate-question"
            >
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm">{q.question}</Text>
                <Group gap={6}>
                  <QuestionSourceBadge source={q.source} />
                  <Text size="xs" c="dimmed">
                    {timeAgo(q.created_at)}
                  </Text>
                </Group>
              </Stack>
              <Tooltip label="Remove">
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove the question ${q.question}`}
                  onClick={() =>
                    void attempt(async () => {
                      await removeQuestion(item.id, q.id);
                      onChange(questions.filter((other) => other.id !== q.id));
                    }, 'Question removed')
                  }
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

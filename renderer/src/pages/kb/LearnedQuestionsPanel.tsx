import { Anchor, Group, Pagination, Table, Text } from '@mantine/core';
import { IconBulb } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { listLearnedQuestions, QUESTIONS_PER_PAGE, removeQuestion } from '../../api/kb.js';
import { useApiData } from '../../api/useApiData.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { timeAgo } from '../../components/format.js';
import { ListTable } from '../../components/ListTable.js';
import { attempt } from '../../components/notify.js';
import { EmptyState, ListState } from '../../components/states.js';
import { QuestionSourceBadge } from './QuestionSourceBadge.js';

/**
 * Review what the AI agent learned: the questions visitors resolved by picking an item and the ones agents
 * answered with an item, newest first. One that does not fit its item is removed here.
 */
export function LearnedQuestionsPanel() {
  const [page, setPage] = useState(1);
  const learned = useApiData((signal) => listLearnedQuestions(page, undefined, signal), [page]);
  const total = learned.data?.total ?? 0;
  return (
    <>
      <Text size="sm" c="dimmed" mb="md">
        The AI agent answers these phrasings with their item from now on. Remove any that do not belong.
      </Text>
      <ListState
        error={learned.error}
        rows={learned.data?.rows}
        empty={
          <EmptyState
            icon={<IconBulb size={26} />}
            title="Nothing learned yet"
            description="When a visitor picks an answer from the AI agent's choices, or an agent replies with a suggested answer, the question shows up here."
          />
        }
      >
        {(rows) => (
          <ListTable columns={['Question', 'Learned', 'Answered with', '', '']} minWidth={720} testId="learned-questions">
            {rows.map((q) => (
              <Table.Tr key={q.id} data-testid="learned-question">
                <Table.Td maw={320}>
                  <Text size="sm">{q.question}</Text>
                </Table.Td>
                <Table.Td>
                  <QuestionSourceBadge source={q.source} />
                </Table.Td>
                <Table.Td maw={260}>
                  <Anchor component={Link} to={`/kb/items/${q.item.id}`} size="sm" lineClamp={2}>
                    {q.item.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {timeAgo(q.created_at)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <ConfirmButton
                    question="Remove this question? The AI agent stops matching it to the item."
                    confirmLabel="Remove"
                    aria-label={`Remove the question ${q.question}`}
                    onConfirm={() =>
                      attempt(async () => (await removeQuestion(q.item.id, q.id), await learned.reload()), 'Question removed').then(
                        () => undefined,
                      )
                    }
                  >
                    Remove
                  </ConfirmButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </ListState>
      {total > QUESTIONS_PER_PAGE && (
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">
            {total} learned questions
          </Text>
          <Pagination total={Math.ceil(total / QUESTIONS_PER_PAGE)} value={page} onChange={setPage} size="sm" />
        </Group>
      )}
    </>
  );
}

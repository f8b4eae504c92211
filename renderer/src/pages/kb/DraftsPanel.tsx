import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { approveDraft, listDrafts, rejectDraft } from '../../api/agentic-rag.js';
import { ApiError } from '../../api/errors.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { attempt } from '../../components/notify.js';
import { EmptyState, LoadingState } from '../../components/states.js';

/** Q&A pairs agentic RAG extracted from resolved conversations, waiting for a human yes or no. */
export function DraftsPanel() {
  const drafts = useApiData(listDrafts, []);
  const pending = (drafts.data ?? []).filter((d) => d.status === 'draft');

  if (drafts.error instanceof ApiError && drafts.error.code === 'plan_not_eligible')
    return (
      <EmptyState
        icon={<IconSparkles size={26} />}
        title="Agentic RAG is part of the Pro and Business plans"
        description="It turns resolved conversations into knowledge base drafts for you to approve."
        action={
          <Button component={Link} to="/account" variant="light">
            See plans
          </Button>
        }
      />
    );
  if (drafts.error) return <ErrorAlert error={drafts.error} />;
  if (!drafts.data) return <LoadingState />;
  if (pending.length === 0)
    return (
      <EmptyState
        icon={<IconSparkles size={26} />}
        title="No drafts waiting"
        description="Analyse a resolved conversation from the inbox and its questions and answers show up here."
      />
    );

  const decide = (id: number, approve: boolean) =>
    attempt(
      async () => {
        await (approve ? approveDraft(id) : rejectDraft(id));
        drafts.setData((d) => d?.filter((x) => x.id !== id));
      },
      approve ? 'Added to the knowledge base' : 'Draft rejected',
    );

  return (
    <Stack gap="sm">
      {pending.map((d) => (
        <Paper key={d.id} withBorder p="md" data-testid="kb-draft">
          <Group justify="space-between" align="flex-start" wrap="wrap">
            <div style={{ flex: 1, minWidth: 240 }}>
              <Text fw={600}>{d.title}</Text>
              <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
                {d.content}
              </Text>
              <Group gap={4} mt="xs">
                {d.category && <Badge variant="light">{d.category}</Badge>}
                {d.tags.map((t) => (
                  <Badge key={t} variant="outline" color="gray" size="sm">
                    {t}
                  </Badge>
                ))}
                {d.source_conversation_id && (
                  <Text size="xs" c="dimmed" component={Link} to={`/inbox/${d.source_conversation_id}`}>
                    from conversation #{d.source_conversation_id}
                  </Text>
                )}
              </Group>
            </div>
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => decide(d.id, false)}>
                Reject
              </Button>
              <Button size="xs" color="teal" onClick={() => decide(d.id, true)}>
                Approve
              </Button>
            </Group>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

import { Badge, Button, Card, Grid, Group, Stack, Text } from '@mantine/core';
import { IconPlus, IconRobot } from '@tabler/icons-react';
import { useState } from 'react';
import { deleteAgent, listAiAgents } from '../../api/agents.js';
import type { AiAgent } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { listWebsites } from '../../api/websites.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { attempt } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, LoadingState } from '../../components/states.js';
import { AgentForm } from './AgentForm.js';
import { TryItPanel } from './TryItPanel.js';
import { WebsiteSwitches } from './WebsiteSwitches.js';

/** How many websites the agent answers (the API lists them on AI agents only). */
const liveOn = (agent: AiAgent) => agent.domain_ids?.length ?? 0;

export default function AgentsPage() {
  const agents = useApiData(listAiAgents, []);
  const domains = useApiData(listWebsites, []);
  const [editing, setEditing] = useState<AiAgent | null | undefined>(undefined);
  const [trying, setTrying] = useState<number | null>(null);
  const rows = agents.data;
  const tryAgent = rows?.find((a) => a.id === trying) ?? rows?.[0] ?? null;
  const reloadAll = () => void Promise.all([agents.reload(), domains.reload()]);

  return (
    <>
      <PageHeader
        title="AI agents"
        description="An AI agent answers a website's visitors from your knowledge base and hands over to your team when it cannot."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing(null)} data-testid="new-agent">
            New AI agent
          </Button>
        }
      />
      {agents.error ? (
        <ErrorAlert error={agents.error} />
      ) : !rows ? (
        <LoadingState />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconRobot size={26} />}
          title="No AI agent yet"
          description="Create one, put it on your website, and it starts answering from the knowledge base."
          action={<Button onClick={() => setEditing(null)}>Create an AI agent</Button>}
        />
      ) : (
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack>
              {rows.map((agent) => (
                <Card key={agent.id} withBorder padding="md" data-testid="agent-card">
                  <Group justify="space-between" align="flex-start" wrap="wrap">
                    <div>
                      <Group gap="xs">
                        <IconRobot size={18} />
                        <Text fw={650}>{agent.bot_name}</Text>
                        {liveOn(agent) > 0 ? (
                          <Badge color="teal" variant="light">
                            live on {liveOn(agent)} website{liveOn(agent) === 1 ? '' : 's'}
                          </Badge>
                        ) : (
                          <Badge color="gray" variant="light">
                            not on a website
                          </Badge>
                        )}
                      </Group>
                      <Text size="sm" c="dimmed" mt={4}>
                        “{agent.greeting_message || 'No greeting'}”
                      </Text>
                    </div>
                    <Group gap={4}>
                      <Button size="xs" variant="subtle" onClick={() => setTrying(agent.id)}>
                        Try it
                      </Button>
                      <Button size="xs" variant="subtle" onClick={() => setEditing(agent)}>
                        Edit
                      </Button>
                      <ConfirmButton
                        question={`Delete ${agent.bot_name}? Websites it answers fall back to your team.`}
                        onConfirm={() =>
                          attempt(async () => (await deleteAgent(agent.id), reloadAll()), 'Agent deleted').then(() => undefined)
                        }
                      >
                        Delete
                      </ConfirmButton>
                    </Group>
                  </Group>
                  <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt="md" mb={6}>
                    Answers on
                  </Text>
                  <WebsiteSwitches agent={agent} domains={domains.data ?? []} onChanged={reloadAll} />
                </Card>
              ))}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <TryItPanel agent={tryAgent} />
          </Grid.Col>
        </Grid>
      )}
      <AgentForm opened={editing !== undefined} agent={editing ?? null} onClose={() => setEditing(undefined)} onSaved={reloadAll} />
    </>
  );
}

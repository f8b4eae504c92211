import { Accordion, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconWorld } from '@tabler/icons-react';
import { listAiAgents } from '../../api/agents.js';
import { useAuth } from '../../auth/AuthContext.js';
import type { Domain } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { listWebsites, removeWebsite } from '../../api/websites.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyField } from '../../components/CopyField.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { attempt, notifySuccess } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, LoadingState } from '../../components/states.js';
import { AppearanceEditor } from './AppearanceEditor.js';
import { BindWebsiteForm } from './BindWebsiteForm.js';
import { IdentityValidation } from './IdentityValidation.js';

export default function WebsitesPage() {
  const { isAdmin } = useAuth();
  const domains = useApiData(listWebsites, []);
  const agents = useApiData(listAiAgents, []);
  const greetingOf = (d: Domain) =>
    d.ai_config.is_active ? agents.data?.find((a) => a.id === d.ai_config.ai_bot_config_id)?.greeting_message : null;
  const rows = domains.data;
  const replace = (d: Domain) => domains.setData((list) => list?.map((x) => (x.id === d.id ? d : x)));

  return (
    <>
      <PageHeader title="Websites" description="Each website gets a widget token, its own inbox and its own widget look." />
      <Paper withBorder p="md" mb="lg">
        <Title order={5} mb="sm">
          Add a website
        </Title>
        <BindWebsiteForm
          onBound={() => {
            notifySuccess('Website added. Paste its snippet into your pages.');
            void domains.reload();
          }}
        />
      </Paper>
      {domains.error ? (
        <ErrorAlert error={domains.error} />
      ) : !rows ? (
        <LoadingState />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconWorld size={26} />}
          title="No website yet"
          description="Add your website's address above to get its chat widget."
        />
      ) : (
        <Accordion variant="separated" defaultValue={String(rows[0]!.id)}>
          {rows.map((d) => (
            <Accordion.Item key={d.id} value={String(d.id)} data-testid="website-item">
              <Accordion.Control>
                <Group gap="xs" wrap="nowrap">
                  <IconWorld size={18} />
                  <Text fw={600} truncate>
                    {d.label || d.website_url}
                  </Text>
                  {d.label && (
                    <Text size="sm" c="dimmed" truncate visibleFrom="sm">
                      {d.website_url}
                    </Text>
                  )}
                  {d.ai_config.is_active && (
                    <Badge size="sm" color="teal" variant="light">
                      AI agent on
                    </Badge>
                  )}
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="md">
                  <div>
                    <Text size="sm" fw={600} mb={4}>
                      Website token
                    </Text>
                    <CopyField value={d.website_token} label="website token" testId="website-token" />
                  </div>
                  <div>
                    <Text size="sm" fw={600} mb={4}>
                      Snippet: paste before <code>{'</head>'}</code> on every page
                    </Text>
                    <CopyField value={d.widget_code} label="snippet" block testId="widget-snippet" />
                  </div>
                  <div>
                    <Text size="sm" fw={600} mb="xs">
                      Appearance
                    </Text>
                    <AppearanceEditor domain={d} greeting={greetingOf(d)} onSaved={replace} />
                  </div>
                  {isAdmin && (
                    <div>
                      <Text size="sm" fw={600} mb="xs">
                        Identity validation
                      </Text>
                      <IdentityValidation domainId={d.id} />
                    </div>
                  )}
                  <Group justify="flex-end">
                    <ConfirmButton
                      question="Remove this website? Its inbox and all its conversations are deleted."
                      confirmLabel="Remove"
                      onConfirm={() =>
                        attempt(async () => (await removeWebsite(d.id), await domains.reload()), 'Website removed').then(() => undefined)
                      }
                    >
                      Remove website
                    </ConfirmButton>
                  </Group>
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </>
  );
}

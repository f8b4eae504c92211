import { Alert, Button, Group, Paper, Stack, Stepper, Text, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { listAiAgents } from '../../api/agents.js';
import type { AiAgent, Domain } from '../../api/types.js';
import { listWebsites, setWebsiteAgent } from '../../api/websites.js';
import { CopyField } from '../../components/CopyField.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { LoadingState } from '../../components/states.js';
import { AgentFields } from '../agents/AgentForm.js';
import { ImportPanel } from '../kb/ImportPanel.js';
import { BindWebsiteForm } from '../websites/BindWebsiteForm.js';

/** First run: website → snippet → AI agent on that website → first knowledge. Each step can be revisited later. */
export default function OnboardingPage() {
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [domain, setDomain] = useState<Domain | null>(null);
  const [agent, setAgent] = useState<AiAgent | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [imported, setImported] = useState(0);

  async function loadDomain(id?: number) {
    const list = await listWebsites();
    const found = list.find((d) => d.id === id) ?? list[0] ?? null;
    setDomain(found);
    return found;
  }

  useEffect(() => {
    Promise.all([loadDomain(), listAiAgents()])
      .then(([d, agents]) => {
        setAgent(agents[0] ?? null);
        if (d) setStep(agents.length ? 3 : 1);
      })
      .catch(setError)
      .finally(() => setLoading(false));
  }, []);

  async function agentCreated(a: AiAgent) {
    setAgent(a);
    setError(null);
    try {
      if (domain) await setWebsiteAgent(domain.id, a.id, true);
      setStep(3);
    } catch (err) {
      setError(err);
    }
  }

  if (loading) return <LoadingState />;
  return (
    <Stack maw={820} mx="auto">
      <div>
        <Title order={2}>Set up Nova Chat</Title>
        <Text c="dimmed">Four short steps and your website has a chat that answers on its own.</Text>
      </div>
      {error !== null && <ErrorAlert error={error} />}
      <Paper withBorder p="lg">
        <Stepper active={step} onStepClick={setStep} allowNextStepsSelect={false} size="sm">
          <Stepper.Step label="Website" description="Where the chat lives">
            <Text size="sm" mb="md">
              Enter your website's address, like <code>https://mycompany.com</code>. Only pages on it can open the chat.
            </Text>
            <BindWebsiteForm
              onBound={async (b) => {
                await loadDomain(b.domain_id);
                setStep(1);
              }}
            />
          </Stepper.Step>
          <Stepper.Step label="Snippet" description="Paste it into your site">
            {domain && (
              <Stack>
                <Text size="sm">
                  Paste this before <code>{'</head>'}</code> on every page of <b>{domain.website_url}</b>:
                </Text>
                <CopyField value={domain.widget_code} label="snippet" block testId="onboarding-snippet" />
                <Group justify="flex-end">
                  <Button onClick={() => setStep(2)}>Next</Button>
                </Group>
              </Stack>
            )}
          </Stepper.Step>
          <Stepper.Step label="AI agent" description="Answers visitors">
            <Text size="sm" mb="md">
              The agent greets visitors and answers from your knowledge base. When it does not know, it hands over to your team.
            </Text>
            <AgentFields agent={agent} onSaved={agentCreated} submitLabel={agent ? 'Save and continue' : 'Create agent'} />
          </Stepper.Step>
          <Stepper.Step label="Knowledge" description="What it knows">
            <Text size="sm" mb="md">
              Import your FAQ as a CSV (<code>question,answer,category,tags</code>) or JSON file. You can add more later.
            </Text>
            <ImportPanel onImported={(r) => setImported(r.imported)} />
            <Group justify="flex-end" mt="md">
              <Button variant={imported ? 'filled' : 'default'} onClick={() => setStep(4)}>
                {imported ? 'Finish' : 'Skip for now'}
              </Button>
            </Group>
          </Stepper.Step>
          <Stepper.Completed>
            <Alert color="teal" icon={<IconCircleCheck size={18} />} title="You're set up">
              Visitors on {domain?.website_url ?? 'your website'} can chat now. New conversations show up in the inbox.
            </Alert>
            <Group justify="flex-end" mt="md">
              <Button variant="default" onClick={() => navigate('/kb')}>
                Open the knowledge base
              </Button>
              <Button onClick={() => navigate('/inbox')}>Go to the inbox</Button>
            </Group>
          </Stepper.Completed>
        </Stepper>
      </Paper>
    </Stack>
  );
}

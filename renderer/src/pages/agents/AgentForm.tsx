import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { isNotEmpty } from '@mantine/form';
import { saveAiAgent, type AiAgentInput } from '../../api/agents.js';
import type { AiAgent } from '../../api/types.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';

type Props = { opened: boolean; agent: AiAgent | null; onClose: () => void; onSaved: (a: AiAgent) => void };

export const DEFAULT_PROMPT = 'You are a helpful support agent. Be friendly and concise. Answer only from the knowledge base.';

/** The form body, shared with onboarding. */
export function AgentFields({
  agent,
  onSaved,
  submitLabel,
}: {
  agent: AiAgent | null;
  onSaved: (a: AiAgent) => void;
  submitLabel: string;
}) {
  const apiForm = useApiForm<AiAgentInput, AiAgent>({
    initialValues: {
      bot_name: agent?.bot_name ?? 'SupportBot',
      greeting_message: agent?.greeting_message ?? 'Hi! How can I help?',
      system_prompt: agent?.system_prompt ?? DEFAULT_PROMPT,
    },
    validate: { bot_name: isNotEmpty('Give the agent a name') },
    submit: (values) => saveAiAgent(agent?.id ?? null, values),
    onSaved,
  });
  const { form } = apiForm;

  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack>
        <FormErrorAlert form={apiForm} />
        <TextInput
          label="Name"
          description="Shown to visitors in the widget"
          required
          {...form.getInputProps('bot_name')}
          data-testid="agent-name"
        />
        <TextInput label="Greeting" description="The first message of every conversation" {...form.getInputProps('greeting_message')} />
        <Textarea
          label="Instructions (system prompt)"
          description="Used when a local language model is configured"
          autosize
          minRows={3}
          maxRows={10}
          {...form.getInputProps('system_prompt')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={apiForm.busy} data-testid="agent-save">
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function AgentForm({ opened, agent, onClose, onSaved }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={agent ? `Edit ${agent.bot_name}` : 'New AI agent'} size="lg">
      {opened && (
        <AgentFields
          agent={agent}
          submitLabel={agent ? 'Save changes' : 'Create agent'}
          onSaved={(a) => {
            onSaved(a);
            onClose();
          }}
        />
      )}
    </Modal>
  );
}

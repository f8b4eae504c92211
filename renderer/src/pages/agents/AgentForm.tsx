import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { AiAgent } from '../../api/types.js';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.js';

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
  const [botName, setBotName] = useState(agent?.bot_name ?? 'SupportBot');
  const [greeting, setGreeting] = useState(agent?.greeting_message ?? 'Hi! How can I help?');
  const [prompt, setPrompt] = useState(agent?.system_prompt ?? DEFAULT_PROMPT);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { bot_name: botName, greeting_message: greeting, system_prompt: prompt };
      onSaved(agent ? await api.put<AiAgent>(`/nc-api/v1/agents/${agent.id}`, body) : await api.post<AiAgent>('/nc-api/v1/agents', body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} noValidate>
      <Stack>
        {error !== null && <ErrorAlert error={error} showFields={false} />}
        <TextInput
          label="Name"
          description="Shown to visitors in the widget"
          required
          value={botName}
          onChange={(e) => setBotName(e.currentTarget.value)}
          error={fieldError(error, 'bot_name')}
          data-testid="agent-name"
        />
        <TextInput
          label="Greeting"
          description="The first message of every conversation"
          value={greeting}
          onChange={(e) => setGreeting(e.currentTarget.value)}
          error={fieldError(error, 'greeting_message')}
        />
        <Textarea
          label="Instructions (system prompt)"
          description="Used when a local language model is configured"
          autosize
          minRows={3}
          maxRows={10}
          value={prompt}
          onChange={(e) => setPrompt(e.currentTarget.value)}
          error={fieldError(error, 'system_prompt')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={busy} data-testid="agent-save">
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

import { Alert, Button, Code, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { getInstanceSettings, setPublicUrl } from '../../api/instance.js';
import type { InstanceSettings } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
import { LoadingState } from '../../components/states.js';

/**
 * Shown to the instance owner only: the address websites' visitors reach this server at (a reverse proxy or
 * tunnel in front of it), which every widget snippet names. The server's NOVA_PUBLIC_URL wins when set.
 */
export function InstancePublicUrl() {
  const settings = useApiData(getInstanceSettings, []);
  return (
    <Paper withBorder p="md" id="public-url" data-testid="instance-public-url">
      <Title order={5}>Public URL</Title>
      {settings.error ? (
        <ErrorAlert error={settings.error} />
      ) : !settings.data ? (
        <LoadingState />
      ) : (
        <PublicUrlForm key={settings.data.public_url ?? ''} settings={settings.data} onSaved={settings.setData} />
      )}
    </Paper>
  );
}

function PublicUrlForm({ settings, onSaved }: { settings: InstanceSettings; onSaved: (s: InstanceSettings) => void }) {
  const apiForm = useApiForm({
    initialValues: { public_url: settings.public_url ?? '' },
    submit: ({ public_url }) => setPublicUrl(public_url.trim() || null),
    onSaved,
  });
  return (
    <Stack gap="xs" mt="xs">
      <Text size="sm">
        Widget snippets load from <Code data-testid="public-url-in-use">{settings.public_url_in_use}</Code>
        {settings.public_url_source === 'listen_address' && ' (this server’s own address)'}.
      </Text>
      {settings.public_url_from_server && (
        <Alert color="blue" data-testid="public-url-from-server">
          Set by the server (NOVA_PUBLIC_URL={settings.public_url_from_server}): snippets use it whatever is saved here.
        </Alert>
      )}
      <form onSubmit={apiForm.onSubmit} noValidate>
        <Stack gap="xs">
          <FormErrorAlert form={apiForm} />
          <TextInput
            label="Public URL"
            description="The address visitors’ browsers reach this server at, e.g. https://chat.example.com behind a reverse proxy or tunnel. Empty: this server’s own address."
            placeholder="https://chat.example.com"
            {...apiForm.form.getInputProps('public_url')}
          />
          <Group gap="xs">
            <Button type="submit" loading={apiForm.busy}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

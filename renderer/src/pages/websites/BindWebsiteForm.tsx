import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client.js';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.js';

export type BoundDomain = { domain_id: number; website_token: string; widget_code: string; inbox_id: number };

/** Binds a website origin; the answer carries its token and the snippet to paste. */
export function BindWebsiteForm({ onBound }: { onBound: (d: BoundDomain) => void }) {
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function bind(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onBound(
        await api.post<BoundDomain>('/nc-api/v1/account/bind-domain', {
          website_url: url.trim(),
          ...(label.trim() ? { label: label.trim() } : {}),
        }),
      );
      setUrl('');
      setLabel('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={bind} noValidate>
      <Stack gap="xs">
        {error !== null && <ErrorAlert error={error} showFields={false} />}
        <Group align="flex-start" gap="xs" wrap="wrap">
          <TextInput
            label="Website address"
            placeholder="https://mycompany.com"
            required
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={fieldError(error, 'website_url')}
            style={{ flex: 2, minWidth: 220 }}
            data-testid="website-url"
          />
          <TextInput
            label="Label"
            placeholder="Main site"
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            error={fieldError(error, 'label')}
            style={{ flex: 1, minWidth: 140 }}
          />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={busy} data-testid="bind-website">
            Add website
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

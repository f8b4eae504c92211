import { Button, ColorInput, Grid, Group, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Domain, WidgetSettings } from '../../api/types.js';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.js';
import { notifySuccess } from '../../components/notify.js';
import { WidgetPreview } from './WidgetPreview.js';

const LOCALES = [
  { value: 'en', label: 'English' },
  { value: 'fr', label: 'Français' },
  { value: 'de', label: 'Deutsch' },
  { value: 'es', label: 'Español' },
  { value: 'pt-BR', label: 'Português (Brasil)' },
  { value: 'it', label: 'Italiano' },
  { value: 'nl', label: 'Nederlands' },
];

export function AppearanceEditor({
  domain,
  greeting,
  onSaved,
}: {
  domain: Domain;
  greeting?: string | null;
  onSaved: (d: Domain) => void;
}) {
  const [settings, setSettings] = useState<WidgetSettings>({ position: 'bottom_right', color: '#4c6ef5', ...domain.widget_settings });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: WidgetSettings) => setSettings((s) => ({ ...s, ...patch }));
  const err = (f: string) => fieldError(error, `widget_settings.${f}`);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const clean = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== '' && v !== undefined));
      onSaved(await api.put<Domain>(`/nc-api/v1/account/domains/${domain.id}`, { widget_settings: clean }));
      notifySuccess('Widget appearance saved');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Grid>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <Stack gap="sm">
          {error !== null && <ErrorAlert error={error} showFields={false} />}
          <div>
            <Text size="sm" fw={500} mb={4}>
              Position
            </Text>
            <SegmentedControl
              aria-label="Widget position"
              value={settings.position ?? 'bottom_right'}
              onChange={(v) => set({ position: v as WidgetSettings['position'] })}
              data={[
                { value: 'bottom_left', label: 'Bottom left' },
                { value: 'bottom_right', label: 'Bottom right' },
              ]}
            />
          </div>
          <ColorInput
            label="Colour"
            value={settings.color ?? ''}
            onChange={(v) => set({ color: v })}
            format="hex"
            error={err('color')}
            data-testid="widget-color"
          />
          <TextInput
            label="Title"
            placeholder="Chat with us"
            value={settings.title ?? ''}
            onChange={(e) => set({ title: e.currentTarget.value })}
            error={err('title')}
            data-testid="widget-title"
          />
          <TextInput
            label="Launcher text"
            placeholder="Chat"
            value={settings.launcher_text ?? ''}
            onChange={(e) => set({ launcher_text: e.currentTarget.value })}
            error={err('launcher_text')}
          />
          <Select
            label="Language"
            data={LOCALES}
            value={settings.locale ?? 'en'}
            onChange={(v) => set({ locale: v ?? 'en' })}
            error={err('locale')}
            allowDeselect={false}
          />
          <Group justify="flex-end">
            <Button onClick={save} loading={busy} data-testid="save-appearance">
              Save appearance
            </Button>
          </Group>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <WidgetPreview settings={settings} greeting={greeting} />
      </Grid.Col>
    </Grid>
  );
}

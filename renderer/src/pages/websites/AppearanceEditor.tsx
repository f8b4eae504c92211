import { Button, ColorInput, Grid, Group, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import type { Domain, WidgetSettings } from '../../api/types.js';
import { saveWidgetSettings } from '../../api/websites.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
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
  const apiForm = useApiForm({
    initialValues: {
      widget_settings: {
        position: 'bottom_right',
        color: '#4c6ef5',
        title: '',
        launcher_text: '',
        ...domain.widget_settings,
      } as WidgetSettings,
    },
    // Fields left empty fall back to the widget's defaults.
    submit: ({ widget_settings }) =>
      saveWidgetSettings(domain.id, Object.fromEntries(Object.entries(widget_settings).filter(([, v]) => v !== '' && v !== undefined))),
    onSaved: (saved) => {
      onSaved(saved);
      notifySuccess('Widget appearance saved');
    },
  });
  const { form } = apiForm;
  const settings = form.values.widget_settings;

  return (
    <Grid>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <form onSubmit={apiForm.onSubmit} noValidate>
          <Stack gap="sm">
            <FormErrorAlert form={apiForm} />
            <div>
              <Text size="sm" fw={500} mb={4}>
                Position
              </Text>
              <SegmentedControl
                aria-label="Widget position"
                data={[
                  { value: 'bottom_left', label: 'Bottom left' },
                  { value: 'bottom_right', label: 'Bottom right' },
                ]}
                {...form.getInputProps('widget_settings.position')}
              />
            </div>
            <ColorInput label="Colour" format="hex" {...form.getInputProps('widget_settings.color')} data-testid="widget-color" />
            <TextInput
              label="Title"
              placeholder="Chat with us"
              {...form.getInputProps('widget_settings.title')}
              data-testid="widget-title"
            />
            <TextInput label="Launcher text" placeholder="Chat" {...form.getInputProps('widget_settings.launcher_text')} />
            {/* Unset, the widget speaks the server's default language, English. */}
            <Select
              label="Language"
              data={LOCALES}
              allowDeselect={false}
              {...form.getInputProps('widget_settings.locale')}
              value={settings.locale ?? 'en'}
            />
            <Group justify="flex-end">
              <Button type="submit" loading={apiForm.busy} data-testid="save-appearance">
                Save appearance
              </Button>
            </Group>
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <WidgetPreview settings={settings} greeting={greeting} />
      </Grid.Col>
    </Grid>
  );
}

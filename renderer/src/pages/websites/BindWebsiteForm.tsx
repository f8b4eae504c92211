import { Button, Group, Stack, TextInput } from '@mantine/core';
import { isNotEmpty } from '@mantine/form';
import type { BoundDomain } from '../../api/types.js';
import { bindWebsite } from '../../api/websites.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';

/** Binds a website origin; the answer carries its token and the snippet to paste. */
export function BindWebsiteForm({ onBound }: { onBound: (d: BoundDomain) => void }) {
  const apiForm = useApiForm({
    initialValues: { website_url: '', label: '' },
    validate: { website_url: isNotEmpty("Enter your website's address") },
    submit: ({ website_url, label }) => bindWebsite(website_url.trim(), label.trim() || undefined),
    onSaved: (bound) => {
      apiForm.form.reset();
      onBound(bound);
    },
  });
  const { form } = apiForm;

  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack gap="xs">
        <FormErrorAlert form={apiForm} />
        <Group align="flex-start" gap="xs" wrap="wrap">
          <TextInput
            label="Website address"
            placeholder="https://mycompany.com"
            required
            {...form.getInputProps('website_url')}
            style={{ flex: 2, minWidth: 220 }}
            data-testid="website-url"
          />
          <TextInput label="Label" placeholder="Main site" {...form.getInputProps('label')} style={{ flex: 1, minWidth: 140 }} />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={apiForm.busy} data-testid="bind-website">
            Add website
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

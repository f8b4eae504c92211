import { Anchor, Button, Grid, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { isEmail } from '@mantine/form';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from 'react-router-dom';
import { getContact, updateContact } from '../../api/contacts.js';
import type { ContactDetail } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
import { timeAgo } from '../../components/format.js';
import { notifySuccess } from '../../components/notify.js';
import { LoadingState } from '../../components/states.js';
import { StatusBadge } from '../inbox/StatusBadge.js';
import { UnverifiedBadge } from '../inbox/UnverifiedBadge.js';

/** One contact: their details and the team's notes (editable), and their conversations, newest activity first. */
export default function ContactPage() {
  const id = Number(useParams().contactId);
  const contact = useApiData((signal) => getContact(id, signal), [id]);
  if (contact.error) return <ErrorAlert error={contact.error} />;
  if (!contact.data) return <LoadingState />;
  const c = contact.data;
  return (
    <Stack>
      <Group gap="xs">
        <Anchor component={Link} to="/contacts" size="sm">
          <Group gap={4}>
            <IconArrowLeft size={14} /> Contacts
          </Group>
        </Anchor>
      </Group>
      <Group gap="xs">
        <Title order={2} data-testid="contact-title">
          {c.name || c.email || `Visitor #${c.id}`}
        </Title>
        <UnverifiedBadge contact={c} />
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="md">
            <ContactForm key={c.id} contact={c} onSaved={(saved) => contact.setData(saved)} />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md" data-testid="contact-conversations">
            <Title order={3} size="h5" mb="sm">
              Conversations ({c.conversations_count})
            </Title>
            {c.conversations.length === 0 ? (
              <Text size="sm" c="dimmed">
                None yet.
              </Text>
            ) : (
              <Stack gap="xs">
                {c.conversations.map((conv) => (
                  <Group key={conv.id} justify="space-between" wrap="nowrap" gap="xs">
                    <Anchor component={Link} to={`/inbox/${conv.id}`} size="sm" style={{ minWidth: 0 }}>
                      <Text span size="sm" truncate>
                        #{conv.id} {conv.last_message?.content ?? ''}
                      </Text>
                    </Anchor>
                    <Group gap={6} wrap="nowrap">
                      <StatusBadge status={conv.status} />
                      <Text size="xs" c="dimmed">
                        {timeAgo(conv.last_message_at ?? conv.created_at)}
                      </Text>
                    </Group>
                  </Group>
                ))}
              </Stack>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function ContactForm({ contact, onSaved }: { contact: ContactDetail; onSaved: (c: ContactDetail) => void }) {
  const apiForm = useApiForm({
    initialValues: { name: contact.name ?? '', email: contact.email ?? '', notes: contact.notes ?? '' },
    validate: { email: (v: string) => (v.trim() ? isEmail('Not an e-mail address')(v) : null) },
    // An emptied field clears it.
    submit: ({ name, email, notes }) =>
      updateContact(contact.id, { name: name.trim() || null, email: email.trim() || null, notes: notes.trim() || null }),
    onSaved: (saved) => {
      onSaved(saved);
      notifySuccess('Contact saved');
    },
  });
  const { form } = apiForm;
  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack>
        <FormErrorAlert form={apiForm} />
        <TextInput label="Name" {...form.getInputProps('name')} />
        <TextInput label="E-mail" type="email" {...form.getInputProps('email')} />
        <Textarea label="Notes" description="Only your team sees them" autosize minRows={3} maxRows={12} {...form.getInputProps('notes')} />
        <Group justify="flex-end">
          <Button type="submit" loading={apiForm.busy}>
            Save contact
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Anchor, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAddressBook, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { listContacts } from '../../api/contacts.js';
import { usePagedData } from '../../api/usePagedData.js';
import { ListTable } from '../../components/ListTable.js';
import { LoadMoreButton } from '../../components/LoadMoreButton.js';
import { timeAgo } from '../../components/format.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, ListState } from '../../components/states.js';
import { UnverifiedBadge } from '../inbox/UnverifiedBadge.js';

/** Everyone who wrote in, searchable by name or e-mail; each opens to their conversations and the team's notes. */
export default function ContactsPage() {
  const [q, setQ] = useState('');
  const [query] = useDebouncedValue(q.trim(), 250);
  const contacts = usePagedData((page, signal) => listContacts(query, page, signal), [query]);
  return (
    <>
      <PageHeader title="Contacts" description="The people who wrote to you, newest first." />
      <TextInput
        mb="md"
        maw={360}
        aria-label="Search contacts"
        placeholder="Search names and e-mails"
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
      />
      <ListState
        error={contacts.error}
        rows={contacts.data?.rows}
        empty={<EmptyState icon={<IconAddressBook size={26} />} title={query ? 'Nobody matches' : 'No contacts yet'} />}
      >
        {(rows) => (
          <>
            <ListTable columns={['Name', 'E-mail', 'Conversations', 'Last activity']} minWidth={600} testId="contacts-table">
              {rows.map((c) => (
                <Table.Tr key={c.id} data-testid="contact-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/contacts/${c.id}`} size="sm" fw={550}>
                      {c.name || c.email || `Visitor #${c.id}`}
                    </Anchor>
                  </Table.Td>
                  <Table.Td fz="sm">
                    {c.email ?? '—'} {c.email && <UnverifiedBadge contact={c} />}
                  </Table.Td>
                  <Table.Td fz="sm">{c.conversations_count}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.last_activity_at ? timeAgo(c.last_activity_at) : '—'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </ListTable>
            <LoadMoreButton shown={rows.length} total={contacts.data!.total} what="more" onLoadMore={contacts.loadMore} />
          </>
        )}
      </ListState>
    </>
  );
}

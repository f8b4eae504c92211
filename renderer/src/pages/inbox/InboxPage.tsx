import { Box, Button, CloseButton, Group, Kbd, Menu, Modal, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure, useHotkeys, useMediaQuery } from '@mantine/hooks';
import { IconBell, IconDownload, IconKeyboard, IconMessages, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { exportConversations } from '../../api/conversations.js';
import { listLabels } from '../../api/labels.js';
import { attempt } from '../../components/notify.js';
import { listTeam } from '../../api/team.js';
import { useApiData } from '../../api/useApiData.js';
import { listWebsites } from '../../api/websites.js';
import { useMe } from '../../auth/AuthContext.js';
import { EmptyState } from '../../components/states.js';
import { useActivity } from '../../realtime/ActivityContext.js';
import { desktopNotificationsSupported, setSoundEnabled, soundEnabled } from '../../realtime/alerts.js';
import type { ConversationFilters } from './filters.js';
import { ConversationList } from './ConversationList.js';
import { ConversationView } from './ConversationView.js';
import { SearchResults } from './SearchResults.js';
import { useConversationList } from './useConversationList.js';

const SHORTCUTS: [string, string][] = [
  ['j / k', 'Next / previous conversation'],
  ['r', 'Reply'],
  ['n', 'Private note'],
  ['e', 'Resolve'],
  ['a', 'Assign to me'],
  ['b', 'Hand back to the AI agent'],
  ['Esc', 'Leave the text box'],
  ['?', 'This help'],
];

export default function InboxPage() {
  const me = useMe();
  const navigate = useNavigate();
  // Each navigation's own key: opening the same search hit again is a new request to show its message.
  const { key: navigationKey } = useLocation();
  const params = useParams();
  const selectedId = params.conversationId ? Number(params.conversationId) : null;
  const wide = useMediaQuery('(min-width: 62em)');
  const { setViewing } = useActivity();
  // `?label=` opens the inbox filtered by that label (the labels page links each label's count here).
  const [searchParams] = useSearchParams();
  const [filters, setFilters] = useState<ConversationFilters>({
    status: 'active',
    domain_id: null,
    assignee: null,
    label: searchParams.get('label'),
  });
  const list = useConversationList(filters, me.agent_id);
  const domains = useApiData(listWebsites, []);
  const agents = useApiData(listTeam, []);
  const labels = useApiData(listLabels, []);
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 300);
  const [help, helpModal] = useDisclosure(false);
  const [sound, setSound] = useState(soundEnabled());
  const [permission, setPermission] = useState(desktopNotificationsSupported() ? Notification.permission : 'denied');

  useEffect(() => {
    setViewing(selectedId);
    return () => setViewing(null);
  }, [selectedId, setViewing]);

  const open = (id: number) => navigate(`/inbox/${id}`);
  // `?message=` (a search hit opened): the conversation opens scrolled to that message.
  const openAt = (id: number, messageId: number | null) =>
    navigate(messageId === null ? `/inbox/${id}` : `/inbox/${id}?message=${messageId}`);
  const focusMessageId = Number(searchParams.get('message')) || null;
  const move = (step: number) => {
    const rows = list.data ?? [];
    if (!rows.length) return;
    const index = rows.findIndex((r) => r.id === selectedId);
    const next = rows[Math.max(0, Math.min(rows.length - 1, index === -1 ? 0 : index + step))];
    if (next) open(next.id);
  };
  useHotkeys([
    ['j', () => move(1)],
    ['k', () => move(-1)],
    ['shift+/', helpModal.open],
  ]);

  const showList = wide || selectedId === null;
  const showView = wide || selectedId !== null;

  return (
    <Box h="calc(100dvh - 56px)" style={{ display: 'flex' }}>
      {showList && (
        <Box
          w={wide ? 340 : '100%'}
          h="100%"
          style={{ borderRight: '1px solid var(--mantine-color-default-border)', display: 'flex', flexDirection: 'column' }}
        >
          <Group px="sm" pt="sm" justify="space-between">
            <Text fw={700}>Inbox</Text>
            <Group gap={4}>
              {permission === 'default' && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  leftSection={<IconBell size={14} />}
                  onClick={async () => setPermission(await Notification.requestPermission())}
                >
                  Desktop alerts
                </Button>
              )}
              <Menu position="bottom-end">
                <Menu.Target>
                  <Button size="compact-xs" variant="subtle" leftSection={<IconDownload size={14} />}>
                    Export
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>Every conversation with its messages</Menu.Label>
                  <Menu.Item onClick={() => void attempt(() => exportConversations('csv'))}>CSV (spreadsheets)</Menu.Item>
                  <Menu.Item onClick={() => void attempt(() => exportConversations('json'))}>JSON</Menu.Item>
                </Menu.Dropdown>
              </Menu>
              <Button
                size="compact-xs"
                variant="subtle"
                leftSection={<IconKeyboard size={14} />}
                onClick={helpModal.open}
                aria-label="Keyboard shortcuts"
              >
                ?
              </Button>
            </Group>
          </Group>
          <Box px="sm" pt="xs">
            <TextInput
              size="xs"
              aria-label="Search conversations"
              placeholder="Search messages and contacts"
              leftSection={<IconSearch size={14} />}
              rightSection={search && <CloseButton size="xs" aria-label="Clear search" onClick={() => setSearch('')} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              onKeyDown={(e) => e.key === 'Escape' && setSearch('')}
            />
          </Box>
          <Box style={{ flex: 1, minHeight: 0, overflowY: query ? 'auto' : undefined }}>
            {query ? (
              <SearchResults q={query} onSelect={openAt} />
            ) : (
              <ConversationList
                filters={filters}
                onFilters={setFilters}
                rows={list.data}
                total={list.total}
                onLoadMore={list.loadMore}
                loading={list.loading}
                error={list.error}
                selectedId={selectedId}
                onSelect={open}
                domains={domains.data ?? []}
                agents={agents.data ?? []}
                labels={labels.data ?? []}
              />
            )}
          </Box>
        </Box>
      )}
      {showView && (
        <Box style={{ flex: 1, minWidth: 0 }} h="100%">
          {selectedId === null ? (
            <EmptyState
              icon={<IconMessages size={26} />}
              title="Pick a conversation"
              description={
                <>
                  Use <Kbd>j</Kbd> and <Kbd>k</Kbd> to move through the list, <Kbd>?</Kbd> for all shortcuts.
                </>
              }
            />
          ) : (
            <ConversationView
              key={selectedId}
              id={selectedId}
              focusMessageId={focusMessageId}
              focusRequest={navigationKey}
              agents={agents.data ?? []}
              labels={labels.data ?? []}
              onBack={() => navigate('/inbox')}
              onChanged={(c) => list.setData((rows) => rows?.map((r) => (r.id === c.id ? { ...r, ...c } : r)))}
            />
          )}
        </Box>
      )}
      <Modal opened={help} onClose={helpModal.close} title="Keyboard shortcuts">
        <Table>
          <Table.Tbody>
            {SHORTCUTS.map(([key, what]) => (
              <Table.Tr key={key}>
                <Table.Td>
                  <Kbd>{key}</Kbd>
                </Table.Td>
                <Table.Td>{what}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Switch
          mt="md"
          label="Play a sound for new conversations, hand-offs and conversations assigned to me"
          checked={sound}
          onChange={(e) => {
            setSound(e.currentTarget.checked);
            setSoundEnabled(e.currentTarget.checked);
          }}
        />
      </Modal>
    </Box>
  );
}

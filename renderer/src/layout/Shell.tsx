import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAddressBook,
  IconBook2,
  IconBrandWechat,
  IconChartBar,
  IconClockHour4,
  IconDatabaseExport,
  IconKey,
  IconMessageBolt,
  IconTag,
  IconReceipt2,
  IconReportAnalytics,
  IconRobot,
  IconUsers,
  IconWebhook,
  IconWorld,
} from '@tabler/icons-react';
import { NavLink as RouterLink, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext.js';
import { ActivityProvider, useActivity } from '../realtime/ActivityContext.js';
import { RealtimeProvider } from '../realtime/RealtimeContext.js';
import { BackupStatus } from './BackupStatus.js';
import { HeaderActions } from './HeaderActions.js';

const NAV = [
  { to: '/inbox', label: 'Inbox', icon: IconBrandWechat },
  { to: '/contacts', label: 'Contacts', icon: IconAddressBook },
  { to: '/kb', label: 'Knowledge base', icon: IconBook2 },
  { to: '/agents', label: 'AI agents', icon: IconRobot },
  // Exact: the AI report's path starts with this one.
  { to: '/reports', label: 'Reports', icon: IconChartBar, exact: true },
  { to: '/reports/ai', label: 'AI report', icon: IconReportAnalytics },
  { to: '/settings/websites', label: 'Websites', icon: IconWorld },
  { to: '/settings/team', label: 'Team', icon: IconUsers },
  { to: '/settings/canned-responses', label: 'Canned responses', icon: IconMessageBolt },
  { to: '/settings/labels', label: 'Labels', icon: IconTag },
  { to: '/settings/api-keys', label: 'API keys', icon: IconKey },
  // Admins only: the server shows webhook URLs and payloads to nobody else.
  { to: '/settings/webhooks', label: 'Webhooks', icon: IconWebhook, adminOnly: true },
  { to: '/sla', label: 'SLA', icon: IconClockHour4 },
  { to: '/account', label: 'Account & plan', icon: IconReceipt2 },
  // The instance owner only: backups hold every account's data.
  { to: '/backups', label: 'Backups', icon: IconDatabaseExport, instanceOnly: true },
];

export function Shell({ children }: { children: React.ReactNode }) {
  return (
    <RealtimeProvider>
      <ActivityProvider>
        <Frame>{children}</Frame>
      </ActivityProvider>
    </RealtimeProvider>
  );
}

function Frame({ children }: { children: React.ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const { totalUnread } = useActivity();
  const { isAdmin, me } = useAuth();
  const isInstanceOwner = Boolean(me?.user.is_instance_admin);
  const isInbox = location.pathname.startsWith('/inbox');

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={isInbox ? 0 : 'md'}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} size="lg" component={RouterLink} to="/inbox" style={{ textDecoration: 'none', color: 'inherit' }}>
              Nova Chat
            </Text>
          </Group>
          <HeaderActions />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          {NAV.filter((item) => (isAdmin || !item.adminOnly) && (isInstanceOwner || !item.instanceOnly)).map(
            ({ to, label, icon: Icon, exact }) => (
              <NavLink
                key={to}
                component={RouterLink}
                to={to}
                label={label}
                leftSection={<Icon size={18} stroke={1.6} />}
                active={exact ? location.pathname === to : location.pathname.startsWith(to)}
                onClick={close}
                rightSection={
                  to === '/inbox' && totalUnread > 0 ? (
                    <Badge size="sm" circle color="red" data-testid="nav-unread" aria-label={`${totalUnread} unread`}>
                      {totalUnread > 99 ? '99+' : totalUnread}
                    </Badge>
                  ) : null
                }
              />
            ),
          )}
        </AppShell.Section>
        {isInstanceOwner && (
          <AppShell.Section>
            <BackupStatus />
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}

import { ActionIcon, Avatar, Group, Menu, Text, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { IconLogout, IconMoon, IconRocket, IconSun } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../auth/AuthContext.js';
import { useRealtimeState } from '../realtime/RealtimeContext.js';

const LIVE_LABEL = { open: 'Live updates on', connecting: 'Connecting to live updates…', closed: 'Live updates offline, retrying' };
const LIVE_COLOR = {
  open: 'var(--mantine-color-teal-6)',
  connecting: 'var(--mantine-color-yellow-6)',
  closed: 'var(--mantine-color-red-6)',
};

export function HeaderActions() {
  const me = useMe();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const live = useRealtimeState();
  const initials = (me.user.name || me.user.email).slice(0, 2).toUpperCase();

  return (
    <Group gap="sm" wrap="nowrap">
      <Tooltip label={LIVE_LABEL[live]}>
        <span
          data-testid="realtime-status"
          data-state={live}
          aria-label={LIVE_LABEL[live]}
          role="status"
          style={{ width: 10, height: 10, borderRadius: 5, background: LIVE_COLOR[live], display: 'inline-block' }}
        />
      </Tooltip>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={scheme === 'dark' ? 'Switch to light mode' : 'Switch to dark mode'}
        data-testid="color-scheme-toggle"
        onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
      >
        {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
      <Menu position="bottom-end" width={220}>
        <Menu.Target>
          <ActionIcon variant="subtle" size="lg" radius="xl" aria-label="Account menu">
            <Avatar size={32} radius="xl" color="indigo">
              {initials}
            </Avatar>
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="sm" fw={600} truncate>
              {me.user.name || me.user.email}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {me.account.name} · {me.user.role ?? 'admin'}
            </Text>
          </Menu.Label>
          <Menu.Item leftSection={<IconRocket size={16} />} onClick={() => navigate('/onboarding')}>
            Setup guide
          </Menu.Item>
          <Menu.Item
            color="red"
            leftSection={<IconLogout size={16} />}
            onClick={() => {
              signOut();
              navigate('/login');
            }}
          >
            Log out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

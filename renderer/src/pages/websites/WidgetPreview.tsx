import { Box, Paper, Text } from '@mantine/core';
import { IconMessageCircle } from '@tabler/icons-react';
import type { WidgetSettings } from '../../api/types.js';

/** A mock page with the widget as visitors will see it, redrawn as the settings change. */
export function WidgetPreview({ settings, greeting }: { settings: WidgetSettings; greeting?: string | null }) {
  const color = settings.color ?? '#4c6ef5';
  const left = settings.position === 'bottom_left';
  const side = left ? { left: 12 } : { right: 12 };
  return (
    <Box
      pos="relative"
      h={340}
      data-testid="widget-preview"
      aria-label="Widget preview"
      style={{
        borderRadius: 12,
        overflow: 'hidden',
        border: '1px solid var(--mantine-color-default-border)',
        background: 'var(--mantine-color-default-hover)',
      }}
    >
      <Box p="sm">
        <Box h={10} w="40%" mb={8} style={{ borderRadius: 4, background: 'var(--mantine-color-default-border)' }} />
        <Box h={8} w="70%" mb={6} style={{ borderRadius: 4, background: 'var(--mantine-color-default-border)' }} />
        <Box h={8} w="55%" style={{ borderRadius: 4, background: 'var(--mantine-color-default-border)' }} />
      </Box>
      <Paper shadow="md" radius="md" w={220} pos="absolute" bottom={64} style={{ ...side, overflow: 'hidden' }}>
        <Box px="sm" py={8} style={{ background: color, color: '#fff' }}>
          <Text size="sm" fw={600} data-testid="widget-preview-title">
            {settings.title || 'Chat with us'}
          </Text>
        </Box>
        <Box p="sm">
          <Paper px={8} py={6} radius="md" bg="var(--mantine-color-default-hover)" maw="85%">
            <Text size="xs">{greeting || 'Hi! How can I help?'}</Text>
          </Paper>
        </Box>
      </Paper>
      <Box
        pos="absolute"
        bottom={12}
        px={14}
        h={40}
        style={{
          ...side,
          background: color,
          color: '#fff',
          borderRadius: 20,
          display: 'flex',
          alignItems: 'center',
          gap: 6,
          boxShadow: '0 2px 8px rgba(0,0,0,.2)',
        }}
      >
        <IconMessageCircle size={18} />
        <Text size="sm" fw={600} data-testid="widget-preview-launcher">
          {settings.launcher_text || 'Chat'}
        </Text>
      </Box>
    </Box>
  );
}

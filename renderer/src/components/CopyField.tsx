import { ActionIcon, Code, CopyButton, Group, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/** A value (token, key, snippet) with a copy button; `block` shows multi-line code. */
export function CopyField({ value, label, block = false, testId }: { value: string; label: string; block?: boolean; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code block={block} style={{ flex: 1, overflowX: 'auto', whiteSpace: block ? 'pre' : 'nowrap' }} data-testid={testId}>
        {value}
      </Code>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : `Copy ${label}`} withArrow>
            <ActionIcon variant="light" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy ${label}`}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

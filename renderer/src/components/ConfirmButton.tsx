import { Button, Group, Popover, Text, type ButtonProps } from '@mantine/core';
import { useState } from 'react';

/** A destructive action that asks once before running. */
export function ConfirmButton({
  children,
  question,
  confirmLabel = 'Delete',
  onConfirm,
  ...buttonProps
}: ButtonProps & { question: string; confirmLabel?: string; onConfirm: () => Promise<void> | void; 'aria-label'?: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <Popover opened={open} onChange={setOpen} withArrow shadow="md" position="bottom-end">
      <Popover.Target>
        <Button color="red" variant="subtle" size="xs" {...buttonProps} onClick={() => setOpen((o) => !o)}>
          {children}
        </Button>
      </Popover.Target>
      <Popover.Dropdown maw={280}>
        <Text size="sm" mb="sm">
          {question}
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            size="xs"
            color="red"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await onConfirm();
                setOpen(false);
              } finally {
                setBusy(false);
              }
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}

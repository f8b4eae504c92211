import { ActionIcon, CloseButton, FileButton, Group, Image, Paper, Text } from '@mantine/core';
import { IconFile, IconPaperclip } from '@tabler/icons-react';
import { useEffect, useMemo } from 'react';

/** The kinds the server takes (it decides from the content; this only narrows the file dialog). */
export const ACCEPTED_FILES = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain';

/** The paperclip: picks files to add to the message. */
export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  return (
    <FileButton onChange={onFiles} accept={ACCEPTED_FILES} multiple disabled={disabled}>
      {(props) => (
        <ActionIcon {...props} variant="subtle" size="lg" aria-label="Attach files" data-testid="attach-files">
          <IconPaperclip size={18} />
        </ActionIcon>
      )}
    </FileButton>
  );
}

/** The files waiting to go with the message: images as small previews, others by name; each removable. */
export function FilePreviews({ files, onRemove }: { files: File[]; onRemove: (file: File) => void }) {
  const urls = useMemo(() => files.map((f) => (f.type.startsWith('image/') ? URL.createObjectURL(f) : null)), [files]);
  useEffect(() => () => urls.forEach((u) => u && URL.revokeObjectURL(u)), [urls]);
  if (!files.length) return null;
  return (
    <Group gap="xs" data-testid="composer-files">
      {files.map((file, i) => (
        <Paper key={`${file.name}-${i}`} withBorder p={4} radius="sm" data-testid="composer-file">
          <Group gap={6} wrap="nowrap">
            {urls[i] ? <Image src={urls[i]} alt={file.name} w={32} h={32} fit="cover" radius="xs" /> : <IconFile size={20} />}
            <Text size="xs" maw={140} truncate>
              {file.name}
            </Text>
            <CloseButton size="xs" aria-label={`Remove ${file.name}`} onClick={() => onRemove(file)} />
          </Group>
        </Paper>
      ))}
    </Group>
  );
}

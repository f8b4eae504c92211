import { Anchor, Group, Image, Modal, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconFileText } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { fetchAttachment } from '../../api/attachments.js';
import type { Message } from '../../api/types.js';

type Attachment = Message['attachments'][number];

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** A blob: URL of the file, fetched with the agent's credentials; revoked when the component goes. */
function useBlobUrl(url: string | null): string | null {
  const [blobUrl, setBlobUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let made: string | null = null;
    let live = true;
    fetchAttachment(url).then(
      (blob) => {
        if (!live) return;
        made = URL.createObjectURL(blob);
        setBlobUrl(made);
      },
      () => undefined,
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url]);
  return blobUrl;
}

/** Saves a file under its name (PDF and text are never opened in the console itself). */
async function download(file: Attachment) {
  const url = URL.createObjectURL(await fetchAttachment(file.url));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function ImageAttachment({ file }: { file: Attachment }) {
  const [open, setOpen] = useState(false);
  const thumb = useBlobUrl(file.thumb_url);
  const full = useBlobUrl(open ? file.url : null);
  return (
    <>
      <UnstyledButton onClick={() => setOpen(true)} aria-label={`Show image ${file.filename}`} data-testid="attachment-image">
        {thumb ? (
          <Image src={thumb} alt={file.filename} radius="md" maw={240} mah={200} fit="contain" />
        ) : (
          <Skeleton w={160} h={120} radius="md" />
        )}
      </UnstyledButton>
      <Modal opened={open} onClose={() => setOpen(false)} title={file.filename} size="xl" centered>
        {full ? <Image src={full} alt={file.filename} fit="contain" mah="75vh" /> : <Skeleton h={300} />}
      </Modal>
    </>
  );
}

/** A message's files: images as thumbnails opening a lightbox, other files as download links. */
export function Attachments({ files }: { files: Attachment[] }) {
  return (
    <Stack gap={6} mt={6} data-testid="attachments">
      {files.map((file) =>
        file.thumb_url ? (
          <ImageAttachment key={file.id} file={file} />
        ) : (
          <Group key={file.id} gap={6} wrap="nowrap">
            <IconFileText size={16} aria-hidden />
            <Anchor component="button" type="button" size="sm" onClick={() => void download(file)} data-testid="attachment-file">
              {file.filename}
            </Anchor>
            <Text size="xs" c="dimmed">
              {size(file.size)}
            </Text>
          </Group>
        ),
      )}
    </Stack>
  );
}

import { Button, Group } from '@mantine/core';
import { useState } from 'react';
import { attempt } from './notify.js';

/** Under a list that has more rows than it shows: loads the next page (a failure is a toast; the rows stay). */
export function LoadMoreButton({
  shown,
  total,
  what,
  onLoadMore,
}: {
  shown: number;
  total: number;
  what: string;
  onLoadMore: () => Promise<void>;
}) {
  const [loading, setLoading] = useState(false);
  if (shown >= total) return null;
  const load = async () => {
    setLoading(true);
    await attempt(onLoadMore);
    setLoading(false);
  };
  return (
    <Group justify="center" p="sm">
      <Button size="xs" variant="subtle" loading={loading} onClick={() => void load()}>
        Load more ({total - shown} {what})
      </Button>
    </Group>
  );
}

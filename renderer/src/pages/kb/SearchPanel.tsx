import { Badge, Button, Group, NumberInput, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { searchKb } from '../../api/kb.js';
import type { KbSearchHit } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { EmptyState } from '../../components/states.js';
import { ScoreBar } from './ScoreBar.js';

/** Runs the same retrieval the AI agent uses and shows each hit's score. */
export function SearchPanel() {
  const [q, setQ] = useState('');
  const [k, setK] = useState<number>(5);
  const [hits, setHits] = useState<KbSearchHit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function run(e: React.FormEvent) {
    e.preventDefault();
    if (!q.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setHits((await searchKb(q.trim(), k)).data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack>
      <form onSubmit={run}>
        <Group align="flex-end" gap="xs">
          <TextInput
            label="Ask as a customer would"
            placeholder="How long does shipping take?"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 200 }}
            data-testid="kb-search-input"
          />
          <NumberInput label="Results" min={1} max={20} value={k} onChange={(v) => setK(Number(v) || 5)} w={90} />
          <Button type="submit" loading={busy} leftSection={<IconSearch size={16} />}>
            Search
          </Button>
        </Group>
      </form>
      {error !== null && <ErrorAlert error={error} />}
      {hits && hits.length === 0 && <EmptyState title="Nothing found" description="The AI agent would hand this question to a human." />}
      {hits && hits.length > 0 && (
        <Stack gap="xs" data-testid="kb-search-results">
          {hits.map((hit, i) => (
            <Paper key={hit.item.id} withBorder p="sm" data-testid="kb-search-hit">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Group gap="xs">
                  <Badge variant="light" circle>
                    {i + 1}
                  </Badge>
                  <Text fw={600} size="sm">
                    {hit.item.title}
                  </Text>
                </Group>
                <ScoreBar score={hit.score} />
              </Group>
              <Text size="sm" c="dimmed" mt={4} lineClamp={3}>
                {hit.item.content}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

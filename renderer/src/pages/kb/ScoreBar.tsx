import { Group, Progress, Text } from '@mantine/core';

/** A retrieval score (0..1) as a bar with its value, so "how sure" is visible at a glance. */
export function ScoreBar({ score, width = 160 }: { score: number; width?: number }) {
  const pct = Math.max(0, Math.min(1, score)) * 100;
  const color = score >= 0.6 ? 'teal' : score >= 0.35 ? 'yellow' : 'gray';
  return (
    <Group gap="xs" wrap="nowrap" w={width}>
      <Progress value={pct} color={color} style={{ flex: 1 }} aria-label={`Score ${score.toFixed(3)}`} />
      <Text size="xs" ff="monospace" data-testid="search-score">
        {score.toFixed(3)}
      </Text>
    </Group>
  );
}

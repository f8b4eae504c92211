import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Component, type ReactNode } from 'react';

/**
 * Catches a page that failed to render or to load (e.g. a chunk of an older build after an update),
 * so the rest of the console keeps working and the user gets a way out.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Center py={64}>
        <Stack align="center" gap="xs" maw={420} ta="center" role="alert">
          <Title order={3}>This page could not be shown</Title>
          <Text c="dimmed" size="sm">
            {this.state.error.message}
          </Text>
          <Button onClick={() => location.reload()}>Reload the console</Button>
        </Stack>
      </Center>
    );
  }
}

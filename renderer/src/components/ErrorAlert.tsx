import { Alert, List, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { ApiError, messageOf, type FieldError } from '../api/errors.js';

/**
 * An API error in words: its message, and under it each field or row it names (`fields`: which of
 * them, when the rest show elsewhere, such as under a form's inputs).
 */
export function ErrorAlert({ error, title, fields }: { error: unknown; title?: string; fields?: FieldError[] }) {
  if (!error) return null;
  const listed = fields ?? (error instanceof ApiError ? error.fieldErrorList : []);
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={title} role="alert" data-testid="api-error">
      <Text size="sm">{messageOf(error)}</Text>
      {listed.length > 0 && (
        <List size="sm" mt="xs" spacing={2}>
          {listed.slice(0, 20).map((f, i) => (
            <List.Item key={i}>
              <b>{f.field}</b>: {f.message}
            </List.Item>
          ))}
          {listed.length > 20 && <List.Item>…and {listed.length - 20} more</List.Item>}
        </List>
      )}
    </Alert>
  );
}

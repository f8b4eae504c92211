import { Alert, List, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { ApiError, messageOf } from '../api/errors.js';

/** An API error in words: its message, and each named field or row under it. */
export function ErrorAlert({ error, title, showFields = true }: { error: unknown; title?: string; showFields?: boolean }) {
  if (!error) return null;
  const fields = showFields && error instanceof ApiError ? error.fieldErrorList : [];
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={title} role="alert" data-testid="api-error">
      <Text size="sm">{messageOf(error)}</Text>
      {fields.length > 0 && (
        <List size="sm" mt="xs" spacing={2}>
          {fields.slice(0, 20).map((f, i) => (
            <List.Item key={i}>
              <b>{f.field}</b>: {f.message}
            </List.Item>
          ))}
          {fields.length > 20 && <List.Item>…and {fields.length - 20} more</List.Item>}
        </List>
      )}
    </Alert>
  );
}

/** The message for one form field from a 422, or undefined. */
export const fieldError = (error: unknown, field: string): string | undefined =>
  error instanceof ApiError ? error.fieldErrors[field] : undefined;

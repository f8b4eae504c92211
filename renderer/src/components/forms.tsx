import { useForm, type FormValidateInput, type UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import { ApiError, type FieldError } from '../api/errors.js';
import { ErrorAlert } from './ErrorAlert.js';

type Options<Values, Result> = {
  initialValues: Values;
  /** Checked on submit, before anything is sent; each message shows under its field. */
  validate?: FormValidateInput<Values>;
  /** Sends the values; a failure is shown on the form. */
  submit: (values: Values) => Promise<Result>;
  /** Runs after a successful submit (the form stays busy until a promise it returns settles). */
  onSaved?: (result: Result) => void | Promise<void>;
  /** The form field of each API field whose name differs (sign-up's company field is the API's `name`). */
  apiFields?: Record<string, string>;
};

export type ApiForm<Values> = {
  form: UseFormReturnType<Values>;
  onSubmit: (event?: React.FormEvent<HTMLFormElement>) => void;
  busy: boolean;
  error: unknown;
  /** The 422 details that name no field of this form: the alert above the form lists them. */
  unplaced: FieldError[];
};

/**
 * The console's one form pattern: @mantine/form holds the values and runs the client-side checks; on
 * submit the values go to the API, and a 422's `details` become the messages under the fields they
 * name, exactly where the client-side ones appear. The error's message (and any detail that names no
 * field here) shows in an alert above the form: render it with `<FormErrorAlert form={…} />`.
 */
export function useApiForm<Values extends Record<string, unknown>, Result>(options: Options<Values, Result>): ApiForm<Values> {
  const { submit, onSaved, apiFields = {} } = options;
  const form = useForm<Values>({ mode: 'controlled', initialValues: options.initialValues, validate: options.validate });
  const [error, setError] = useState<unknown>(null);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);

  const onSubmit = form.onSubmit(async (values) => {
    setError(null);
    setUnplaced([]);
    try {
      await onSaved?.(await submit(values));
    } catch (err) {
      setError(err);
      const details = err instanceof ApiError ? err.fieldErrorList : [];
      const placed: Record<string, string> = {};
      const rest: FieldError[] = [];
      for (const d of details) {
        const field = fieldOf(values, apiFields[d.field] ?? d.field);
        if (field) placed[field] ??= d.message;
        else rest.push(d);
      }
      form.setErrors(placed);
      setUnplaced(rest);
    }
  });
  return { form, onSubmit, busy: form.submitting, error, unplaced };
}

/**
 * The form field a 422 detail belongs under: its path (`business_hours.start`) when the form holds that
 * value, the list for an element of one (`tags.2` → `tags`), or null when the form has no such field.
 */
function fieldOf(values: Record<string, unknown>, path: string): string | null {
  const parts = path.split('.');
  let node: unknown = values;
  for (const [i, part] of parts.entries()) {
    if (node === null || typeof node !== 'object' || !(part in node)) return null;
    node = (node as Record<string, unknown>)[part];
    if (Array.isArray(node)) return parts.slice(0, i + 1).join('.');
  }
  return path;
}

/** The failure of the last submit: its message and the details no field shows. */
export function FormErrorAlert<Values>({ form }: { form: ApiForm<Values> }) {
  if (form.error === null) return null;
  return <ErrorAlert error={form.error} fields={form.unplaced} />;
}

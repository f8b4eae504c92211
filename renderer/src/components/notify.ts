import { notifications } from '@mantine/notifications';
import { messageOf } from '../api/errors.js';

export const notifySuccess = (message: string) => notifications.show({ color: 'teal', message });
export const notifyError = (err: unknown, title = 'That did not work') =>
  notifications.show({ color: 'red', title, message: messageOf(err) });

/** Runs an action, toasting its error; returns whether it succeeded. */
export async function attempt(action: () => Promise<unknown>, success?: string): Promise<boolean> {
  try {
    await action();
    if (success) notifySuccess(success);
    return true;
  } catch (err) {
    notifyError(err);
    return false;
  }
}

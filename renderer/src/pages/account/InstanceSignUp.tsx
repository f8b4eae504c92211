import { Paper, Switch, Text, Title } from '@mantine/core';
import { getInstanceSettings, setSignUp } from '../../api/instance.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { attempt } from '../../components/notify.js';
import { LoadingState } from '../../components/states.js';

/** Shown to the instance owner only: whether anyone who reaches this machine may create an account on it. */
export function InstanceSignUp() {
  const settings = useApiData(getInstanceSettings, []);
  const s = settings.data;
  return (
    <Paper withBorder p="md">
      <Title order={5}>Sign-up</Title>
      {settings.error ? (
        <ErrorAlert error={settings.error} />
      ) : !s ? (
        <LoadingState />
      ) : (
        <Switch
          mt="sm"
          data-testid="signup-switch"
          label="Anyone who can reach this instance may create an account"
          description={
            s.signup_closed_by_server
              ? 'Closed by the server (NOVA_SIGNUP=closed): the switch cannot open it.'
              : 'When off, new accounts are refused; account admins can still add their teammates.'
          }
          checked={s.signup === 'open'}
          disabled={s.signup_closed_by_server}
          onChange={(e) => {
            const signup = e.currentTarget.checked ? 'open' : 'closed';
            void attempt(
              async () => settings.setData(await setSignUp(signup)),
              signup === 'open' ? 'Sign-up is open' : 'Sign-up is closed',
            );
          }}
        />
      )}
      <Text size="xs" c="dimmed" mt="xs">
        Sign-ups are also limited per address, whatever this says.
      </Text>
    </Paper>
  );
}

import { Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client.js';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.js';
import { useAuth } from '../../auth/AuthContext.js';

type Mode = 'login' | 'signup';

/** Sign in, or create an account (which signs its owner in and starts onboarding). */
export function AuthPage({ mode }: { mode: Mode }) {
  const { signIn } = useAuth();
  const [form, setForm] = useState({ company: '', name: '', email: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { token } =
        mode === 'login'
          ? await api.post<{ token: string }>('/nc-api/v1/auth/login', { email: form.email, password: form.password })
          : await api.post<{ token: string }>('/nc-api/v1/accounts', {
              name: form.company,
              email: form.email,
              password: form.password,
            });
      await signIn(token);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const signup = mode === 'signup';
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420} radius="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={2}>{signup ? 'Create your Nova Chat account' : 'Sign in to Nova Chat'}</Title>
              <Text c="dimmed" size="sm" mt={4}>
                {signup
                  ? 'Free starter plan with a 14-day trial. No card needed.'
                  : 'Answer your customers, from any browser on your network.'}
              </Text>
            </div>
            {error !== null && <ErrorAlert error={error} showFields={false} />}
            {signup && (
              <TextInput
                label="Company name"
                placeholder="My Company"
                required
                value={form.company}
                onChange={set('company')}
                error={fieldError(error, 'name')}
                autoComplete="organization"
              />
            )}
            <TextInput
              label="Email"
              type="email"
              placeholder="you@company.com"
              required
              value={form.email}
              onChange={set('email')}
              error={fieldError(error, 'email')}
              autoComplete="email"
            />
            <PasswordInput
              label="Password"
              required
              value={form.password}
              onChange={set('password')}
              error={fieldError(error, 'password')}
              description={signup ? 'At least 8 characters' : undefined}
              autoComplete={signup ? 'new-password' : 'current-password'}
            />
            <Button type="submit" loading={busy} fullWidth>
              {signup ? 'Create account' : 'Sign in'}
            </Button>
            <Text size="sm" ta="center">
              {signup ? (
                <>
                  Already have an account?{' '}
                  <Anchor component={Link} to="/login">
                    Sign in
                  </Anchor>
                </>
              ) : (
                <>
                  New here?{' '}
                  <Anchor component={Link} to="/signup">
                    Create an account
                  </Anchor>
                </>
              )}
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

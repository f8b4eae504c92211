import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { isNotEmpty } from '@mantine/form';
import { Link } from 'react-router-dom';
import { login, signUp } from '../../api/auth.js';
import { getSignUpOpen } from '../../api/instance.js';
import { useApiData } from '../../api/useApiData.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
import { useAuth } from '../../auth/AuthContext.js';

type Mode = 'login' | 'signup';

/** Sign in, or create an account (which signs its owner in and starts onboarding). */
export function AuthPage({ mode }: { mode: Mode }) {
  const { signIn } = useAuth();
  const signup = mode === 'signup';
  // Unknown until answered: the form stays usable, and the server refuses a closed sign-up anyway.
  const signUpClosed = useApiData(getSignUpOpen, []).data === false;
  const apiForm = useApiForm({
    initialValues: { company: '', email: '', password: '' },
    validate: {
      company: (value) => (signup && !value.trim() ? 'Enter the name of your company' : null),
      email: isNotEmpty('Enter your email address'),
      password: isNotEmpty(signup ? 'Choose a password' : 'Enter your password'),
    },
    // Sign-up's company is the account's `name` in the API.
    apiFields: { name: 'company' },
    submit: ({ company, email, password }) => (signup ? signUp({ name: company, email, password }) : login(email, password)),
    onSaved: ({ token }) => signIn(token),
  });
  const { form } = apiForm;

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420} radius="lg">
        <form onSubmit={apiForm.onSubmit} noValidate>
          <Stack>
            <div>
              <Title order={2}>{signup ? 'Create your Nova Chat account' : 'Sign in to Nova Chat'}</Title>
              <Text c="dimmed" size="sm" mt={4}>
                {signup
                  ? 'Free starter plan with a 14-day trial. No card needed.'
                  : 'Answer your customers, from any browser on your network.'}
              </Text>
            </div>
            {signup && signUpClosed && (
              <Alert color="orange" title="Sign-up is closed" data-testid="signup-closed">
                The owner of this Nova Chat instance has closed sign-up. Ask an admin of your company's account to add you as a teammate.
              </Alert>
            )}
            <FormErrorAlert form={apiForm} />
            {signup && (
              <TextInput
                label="Company name"
                placeholder="My Company"
                required
                {...form.getInputProps('company')}
                autoComplete="organization"
              />
            )}
            <TextInput
              label="Email"
              type="email"
              placeholder="you@company.com"
              required
              {...form.getInputProps('email')}
              autoComplete="email"
            />
            <PasswordInput
              label="Password"
              required
              {...form.getInputProps('password')}
              description={signup ? 'At least 8 characters' : undefined}
              autoComplete={signup ? 'new-password' : 'current-password'}
            />
            <Button type="submit" loading={apiForm.busy} disabled={signup && signUpClosed} fullWidth>
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
                !signUpClosed && (
                  <>
                    New here?{' '}
                    <Anchor component={Link} to="/signup">
                      Create an account
                    </Anchor>
                  </>
                )
              )}
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

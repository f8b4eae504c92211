import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { getIdentitySecret, rotateIdentitySecret } from '../../api/websites.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyField } from '../../components/CopyField.js';
import { attempt } from '../../components/notify.js';

const EXAMPLE = `// On your server, for the signed-in visitor:
const identifier_hash = crypto.createHmac('sha256', IDENTITY_SECRET).update(user.email).digest('hex');
// In the page, before widget.js:
window.novaChatSettings = { websiteToken: '…', user: { name: user.name, email: user.email, identifier_hash } };`;

/**
 * Identity validation (admins only): the secret a site's server signs its signed-in visitors' e-mails
 * with, shown on request and rotatable. Without a valid hash a typed e-mail is only a claim: the inbox
 * marks such conversations "unverified e-mail".
 */
export function IdentityValidation({ domainId }: { domainId: number }) {
  const [secret, setSecret] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const reveal = async () => {
    setLoading(true);
    await attempt(async () => setSecret(await getIdentitySecret(domainId)));
    setLoading(false);
  };
  return (
    <Stack gap="xs" data-testid="identity-validation">
      <Text size="sm" c="dimmed">
        Anyone can type any e-mail into the chat. If your site signs its visitors in, let it prove who they are: your server signs the
        visitor&apos;s e-mail with this secret and the page passes it as <Code>identifier_hash</Code>. Those conversations join the
        contact&apos;s history; the others are marked &ldquo;unverified e-mail&rdquo;. Keep the secret on your server, never in a page.
      </Text>
      {secret ? (
        <>
          <CopyField value={secret} label="identity secret" testId="identity-secret" />
          <CopyField value={EXAMPLE} label="example" block />
          <Group justify="flex-end">
            <ConfirmButton
              question="Rotate the identity secret? Hashes made with the current one stop verifying at once: update your server first."
              confirmLabel="Rotate"
              onConfirm={() =>
                attempt(async () => setSecret(await rotateIdentitySecret(domainId)), 'Identity secret rotated').then(() => undefined)
              }
            >
              Rotate secret
            </ConfirmButton>
          </Group>
        </>
      ) : (
        <Group>
          <Button size="xs" variant="light" loading={loading} onClick={() => void reveal()}>
            Show identity secret
          </Button>
        </Group>
      )}
    </Stack>
  );
}

import { Alert, Anchor, Button, Code, Group, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { notifySuccess } from '../../components/notify.js';
import { LoadingState } from '../../components/states.js';
import { desktopBridge, desktopErrorMessage, type DesktopStatus, type NovaDesktop } from '../../desktop/bridge.js';

/** The console page of the backups the instance owner keeps (the backups helper's page). */
export const BACKUPS_PAGE = '/backups';

/**
 * The desktop app's own settings, in its window only (a plain browser has no `window.novaDesktop` and gets
 * nothing): serving the LAN and its address, opening at login, where secrets and data are kept, the TLS files,
 * and where the public URL and backups are set. The tray menu has the same switches.
 */
export function DesktopSettings() {
  const desktop = desktopBridge();
  if (!desktop) return null;
  return <DesktopSection desktop={desktop} />;
}

function DesktopSection({ desktop }: { desktop: NovaDesktop }) {
  const status = useApiData(() => desktop.getStatus(), []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Runs one desktop call; its new status replaces the shown one, its failure shows above the settings. */
  const run = async (call: () => Promise<DesktopStatus | void>, success?: string) => {
    setError(null);
    setBusy(true);
    try {
      const next = await call();
      if (next) status.setData(next);
      if (success) notifySuccess(success);
    } catch (err) {
      setError(desktopErrorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" data-testid="desktop-settings">
      <Title order={5}>Desktop app</Title>
      {status.error ? (
        <ErrorAlert error={status.error} />
      ) : !status.data ? (
        <LoadingState />
      ) : (
        <Stack gap="sm" mt="xs">
          {error && (
            <Alert color="red" title="That did not work" data-testid="desktop-error">
              {error}
            </Alert>
          )}
          {status.data.server.state === 'failed' && (
            <Alert color="red" title="The server is not running">
              {status.data.server.error}
            </Alert>
          )}
          <Switch
            label="Serve the LAN"
            description="Websites and staff on this network reach the server at this computer’s address (restarts the server, same port)."
            checked={status.data.server.serveLan}
            disabled={busy}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              void run(() => desktop.setServeLan(on));
            }}
          />
          {status.data.server.lanUrls.length > 0 && (
            <Group gap="xs">
              <Text size="sm">LAN address:</Text>
              <Code data-testid="desktop-lan-url">{status.data.server.lanUrls[0]}</Code>
              <Button
                size="xs"
                variant="light"
                onClick={() => void run(async () => void (await desktop.copyLanUrl()), 'LAN address copied')}
              >
                Copy LAN address
              </Button>
            </Group>
          )}
          <Switch
            label="Open at login"
            description="Starts in the tray when you sign in to this computer, so websites keep reaching the widget."
            checked={status.data.openAtLogin}
            disabled={busy}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              void run(() => desktop.setOpenAtLogin(on));
            }}
          />
          <Text size="sm" data-testid="desktop-secrets">
            Secrets are kept in: {status.data.secretStoreLabel ?? 'not known yet'}. Data folder: <Code>{status.data.dataDir}</Code>
          </Text>
          <TlsFilesForm key={status.data.server.tls?.certFile ?? ''} status={status.data} busy={busy} run={run} desktop={desktop} />
          <Text size="sm">
            The address websites load the widget from: <Anchor href="#public-url">Public URL</Anchor> (instance owner). Backups of this
            computer’s data:{' '}
            <Anchor component={Link} to={BACKUPS_PAGE}>
              Backups
            </Anchor>
            .
          </Text>
        </Stack>
      )}
    </Paper>
  );
}

type TlsProps = {
  status: DesktopStatus;
  busy: boolean;
  desktop: NovaDesktop;
  run: (call: () => Promise<DesktopStatus>, success?: string) => Promise<void>;
};

function TlsFilesForm({ status, busy, desktop, run }: TlsProps) {
  const tls = status.server.tls;
  const [certFile, setCertFile] = useState(tls?.certFile ?? '');
  const [keyFile, setKeyFile] = useState(tls?.keyFile ?? '');
  return (
    <Stack gap="xs" data-testid="desktop-tls">
      <Text size="sm" fw={500}>
        HTTPS
      </Text>
      <Text size="sm" c="dimmed">
        {tls ? 'The server speaks HTTPS with these files.' : 'The server speaks plain HTTP.'} A website on https:// can only load the widget
        from https://. Give the PEM files of a certificate (full chain) and its key.
      </Text>
      <TextInput
        label="Certificate file"
        placeholder="/etc/nova/fullchain.pem"
        value={certFile}
        onChange={(e) => setCertFile(e.currentTarget.value)}
      />
      <TextInput label="Key file" placeholder="/etc/nova/privkey.pem" value={keyFile} onChange={(e) => setKeyFile(e.currentTarget.value)} />
      <Group gap="xs">
        <Button
          size="xs"
          disabled={busy || !certFile.trim() || !keyFile.trim()}
          onClick={() =>
            void run(() => desktop.setTlsFiles({ certFile: certFile.trim(), keyFile: keyFile.trim() }), 'The server now speaks HTTPS')
          }
        >
          Use HTTPS
        </Button>
        {tls && (
          <Button
            size="xs"
            variant="default"
            disabled={busy}
            onClick={() => void run(() => desktop.setTlsFiles(null), 'The server now speaks HTTP')}
          >
            Back to HTTP
          </Button>
        )}
      </Group>
    </Stack>
  );
}

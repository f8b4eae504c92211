import { startServer } from './index.js';

/** The headless server (`npm run serve`): runs until SIGTERM/SIGINT, then drains and exits 0; SIGHUP reloads the TLS certificate. */
async function main() {
  const server = await startServer();
  // A renewal hook (certbot's --deploy-hook, acme.sh's --reloadcmd) sends SIGHUP; without TLS it changes nothing.
  process.on('SIGHUP', () => {
    if (!server.config.tlsCertFile) server.deps.log.info('SIGHUP: no TLS certificate to reload');
    else server.reloadTls();
  });
  const shutdown = (signal: string) => {
    server.deps.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.deps.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('Nova Chat server failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});

import { startServer } from './index.js';

/** The headless server (`npm run serve`): runs until SIGTERM/SIGINT, then drains and exits 0. */
async function main() {
  const server = await startServer();
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

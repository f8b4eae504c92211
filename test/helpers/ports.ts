import { randomInt } from 'node:crypto';
import { isPortFree } from '../../main/ports.js';

/**
 * A free port below Linux's ephemeral range (32768 and up), for a test that must bind a port it chose
 * beforehand. A port the OS hands out for `listen(0)` comes from that range, where every outgoing
 * connection of the parallel test files also takes its local port: during the second a server takes to
 * start, one of them could take it first (CI saw a start fail so).
 */
export async function portToBind(host: string): Promise<number> {
  for (;;) {
    const port = randomInt(20_000, 32_000);
    if (await isPortFree(port, host)) return port;
  }
}

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePort, freePort, isPortFree } from './ports.js';
import { DEFAULT_PORT } from './server-lifecycle.js';

const held: net.Server[] = [];

/** Occupies a port the way another program would; false when something else already has it. */
function occupy(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => (held.push(server), resolve(true)));
  });
}

afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('port choice', () => {
  it('prefers 8080 and, when 8080 is taken, picks another port that is actually free', async () => {
    expect(DEFAULT_PORT).toBe(8080);
    await occupy(8080); // if another program already holds 8080, the situation is the same
    expect(await isPortFree(8080, '127.0.0.1')).toBe(false);
    const port = await choosePort(8080, '127.0.0.1');
    expect(port).not.toBe(8080);
    expect(await occupy(port)).toBe(true);
  });

  it('keeps the preferred port when it is free', async () => {
    const port = await freePort('127.0.0.1');
    expect(await choosePort(port, '127.0.0.1')).toBe(port);
  });

  it('sees a port held on loopback as taken for the all-interfaces bind of LAN mode', async () => {
    const port = await freePort('127.0.0.1');
    await occupy(port, '127.0.0.1');
    const chosen = await choosePort(port, '0.0.0.0');
    expect(chosen).not.toBe(port);
    expect(await occupy(chosen, '0.0.0.0')).toBe(true);
  });
});

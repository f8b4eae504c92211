import { afterEach } from 'vitest';
import { TestServer } from './server.js';

/**
 * Servers a test file starts in its tests, each closed after the test that started it:
 * `const server = serversPerTest()` at the top of the file, then `const t = await server(options)` in a test.
 * `defaults` go under every call's own options.
 */
export function serversPerTest(defaults: Parameters<typeof TestServer.start>[0] = {}) {
  const started: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.close()));
  });
  return async (options: Parameters<typeof TestServer.start>[0] = {}): Promise<TestServer> => {
    const t = await TestServer.start({ ...defaults, ...options });
    started.push(t);
    return t;
  };
}

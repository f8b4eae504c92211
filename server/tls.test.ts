import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './paths.js';
import { RealtimeClient } from './realtime/test-client.js';
import { TestServer } from '../test/helpers/server.js';
import { httpsRequest, makeCertificate, replaceFile, type TestCertificate } from '../test/helpers/tls.js';

let dir: string;
let first: TestCertificate;
let second: TestCertificate;
let third: TestCertificate;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-tls-'));
  [first, second, third] = await Promise.all([
    makeCertificate(path.join(dir, 'a'), 'first'),
    makeCertificate(path.join(dir, 'b'), 'second'),
    makeCertificate(path.join(dir, 'c'), 'third'),
  ]);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A pino logger whose lines a test can wait for. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** The pair the server is told to use, in a folder of its own, so a test can replace the files under it. */
async function livePair(from: TestCertificate) {
  const live = await fs.mkdtemp(path.join(dir, 'live-'));
  const certFile = path.join(live, 'fullchain.pem');
  const keyFile = path.join(live, 'privkey.pem');
  await fs.writeFile(certFile, from.cert);
  await fs.writeFile(keyFile, from.key);
  return { certFile, keyFile };
}

describe('HTTPS (NOVA_TLS_CERT / NOVA_TLS_KEY)', () => {
  it('serves the API, snippets, WebSocket and SSE over HTTPS on PORT, and no plain HTTP there', async () => {
    const pair = await livePair(first);
    const t = await TestServer.start({ tlsCertFile: pair.certFile, tlsKeyFile: pair.keyFile });
    try {
      expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await httpsRequest(`${t.url}/health`, first.cert);
      expect(health.status).toBe(200);
      expect(health.fingerprint256).toBe(first.fingerprint256);

      // Plain HTTP on the same port gets no answer from the API.
      const plain = await fetch(t.url.replace('https:', 'http:') + '/health').then(
        (r) => r.status,
        () => 'refused',
      );
      expect(plain).not.toBe(200);

      // Without the public URL the snippet points at the HTTPS listen address.
      const owner = { token: await signUpOver(t.url, first.cert) };
      const bound = await httpsRequest(`${t.url}/nc-api/v1/account/bind-domain`, first.cert, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
        body: JSON.stringify({ website_url: 'https://shop.example' }),
      });
      expect(bound.status).toBe(201);
      expect(bound.body.widget_code).toContain(`src="${t.url}/widget.js"`);

      // The realtime socket upgrades over TLS (wss://) …
      const socket = await RealtimeClient.connect(t.url, { access_token: owner.token }, { ca: first.cert });
      expect(socket.socket.readyState).toBe(socket.socket.OPEN);
      socket.socket.close();

      // … and SSE streams over it.
      const firstChunk = await new Promise<{ status: number; type: string; chunk: string }>((resolve, reject) => {
        const req = https.get(`${t.url}/realtime/sse?access_token=${owner.token}`, { ca: first.cert, agent: false }, (res) => {
          res.once('data', (chunk: Buffer) => {
            resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), chunk: chunk.toString() });
            req.destroy();
          });
        });
        req.on('error', reject);
      });
      expect(firstChunk).toMatchObject({ status: 200, type: expect.stringContaining('text/event-stream') });
      expect(firstChunk.chunk).toContain('retry:');
    } finally {
      await t.close();
    }
  });

  it('refuses to start with a key that is not the certificate’s, or a file it cannot read, naming the file', async () => {
    const mismatched = await livePair(first);
    await fs.writeFile(mismatched.keyFile, second.key);
    await expect(TestServer.start({ tlsCertFile: mismatched.certFile, tlsKeyFile: mismatched.keyFile })).rejects.toThrow(
      new RegExp(`${mismatched.keyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not go with the certificate`),
    );
    await expect(TestServer.start({ tlsCertFile: path.join(dir, 'nope.pem'), tlsKeyFile: mismatched.keyFile })).rejects.toThrow(
      /cannot read the TLS certificate .*nope\.pem: ENOENT/,
    );
    await expect(TestServer.start({ env: { NOVA_TLS_CERT: mismatched.certFile } })).rejects.toThrow(
      /NOVA_TLS_CERT and NOVA_TLS_KEY go together/,
    );
  });

  it('picks up a renewed pair when the files change, with no restart, and keeps the old one when the new pair is broken', async () => {
    const pair = await livePair(first);
    const { logger, lines } = capturedLog();
    const t = await TestServer.start({ tlsCertFile: pair.certFile, tlsKeyFile: pair.keyFile, logger });
    try {
      // A live WebSocket opened on the first certificate …
      const owner = await signUpOver(t.url, first.cert);
      const socket = await RealtimeClient.connect(t.url, { access_token: owner }, { ca: first.cert });

      // A renewal: the key, then the certificate, renamed over the old files.
      await replaceFile(pair.keyFile, second.key);
      await replaceFile(pair.certFile, second.cert);
      await expect
        .poll(async () => (await httpsRequest(`${t.url}/health`, second.cert).catch(() => null))?.fingerprint256, {
          timeout: 15_000,
          interval: 200,
        })
        .toBe(second.fingerprint256);
      // … stays open across it.
      expect(socket.socket.readyState).toBe(socket.socket.OPEN);
      socket.socket.close();

      // A broken renewal (a certificate whose key is not there): logged, and the working pair stays in use.
      const failuresBefore = lines.filter((l) => l.msg === 'TLS certificate not reloaded: keeping the one in use').length;
      await replaceFile(pair.certFile, third.cert);
      await expect
        .poll(() => lines.filter((l) => l.msg === 'TLS certificate not reloaded: keeping the one in use').length, {
          timeout: 15_000,
          interval: 200,
        })
        .toBeGreaterThan(failuresBefore);
      const still = await httpsRequest(`${t.url}/health`, second.cert);
      expect(still).toMatchObject({ status: 200, fingerprint256: second.fingerprint256 });
      expect(t.server.reloadTls()).toBe(false);

      // A half-written certificate file is no better.
      await fs.writeFile(pair.certFile, third.cert.slice(0, 200));
      expect(t.server.reloadTls()).toBe(false);
      expect((await httpsRequest(`${t.url}/health`, second.cert)).fingerprint256).toBe(second.fingerprint256);

      // Once the pair is whole again, an explicit reload takes it at once.
      await fs.writeFile(pair.keyFile, third.key);
      await fs.writeFile(pair.certFile, third.cert);
      expect(t.server.reloadTls()).toBe(true);
      expect((await httpsRequest(`${t.url}/health`, third.cert)).fingerprint256).toBe(third.fingerprint256);
    } finally {
      await t.close();
    }
  });

  it('reloads on SIGHUP in the headless server process (npm run serve)', async () => {
    const pair = await livePair(first);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-tls-serve-'));
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'server', 'serve.js')], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NOVA_DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        NOVA_SECRET_STORE: 'file',
        LOG_LEVEL: 'info',
        NOVA_TLS_CERT: pair.certFile,
        NOVA_TLS_KEY: pair.keyFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await expect.poll(() => /"url":"(https:[^"]+)"/.exec(output)?.[1], { timeout: 30_000, interval: 50 }).toBeDefined();
      const url = /"url":"(https:[^"]+)"/.exec(output)![1]!;
      expect((await httpsRequest(`${url}/health`, first.cert)).fingerprint256).toBe(first.fingerprint256);

      await fs.writeFile(pair.keyFile, second.key);
      await fs.writeFile(pair.certFile, second.cert);
      child.kill('SIGHUP');
      await expect.poll(() => output.includes('"reason":"reload requested"'), { timeout: 15_000, interval: 50 }).toBe(true);
      expect((await httpsRequest(`${url}/health`, second.cert)).fingerprint256).toBe(second.fingerprint256);
      expect(child.exitCode).toBeNull(); // SIGHUP reloads; it does not stop the server
    } finally {
      child.kill('SIGKILL');
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

async function signUpOver(url: string, ca: string): Promise<string> {
  const res = await httpsRequest(`${url}/nc-api/v1/accounts`, ca, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Renewal Co', email: `renew-${Date.now()}@example.com`, password: 'MyPass123!' }),
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  return res.body.token as string;
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeClient } from '../server/realtime/test-client.js';
import { signUp, TestServer } from './helpers/server.js';
import { HttpsCalls, httpsRequest, makeCertificate, type TestCertificate } from './helpers/tls.js';

/**
 * deploy/nginx.conf, as shipped, in a real nginx on loopback in front of a real server with NOVA_TRUST_PROXY=1:
 * the widget API, the WebSocket upgrade and SSE through it, and visitors told apart by the address nginx saw.
 * Only the listen ports, the certificate paths and the upstream port are changed for the test.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((file) => fs.existsSync(file));
if (!nginxBinary) console.warn('nginx proxy test skipped: nginx is not installed (apt-get install -y nginx; .ci/run does)');

let dir: string;
let certificate: TestCertificate;
let box: TestServer;
let nginx: ChildProcess;
let proxyUrl: string;
let redirectPort: number;
let api: HttpsCalls;
const logLines: Record<string, unknown>[] = [];

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

/** The shipped config with its deployment-specific lines pointed at this test's ports and files (each must be there). */
function testConfig(shipped: string, ports: { https: number; http: number; box: number }) {
  const replacements: [string, string][] = [
    ['    listen [::]:80;\n', ''],
    ['    listen [::]:443 ssl;\n', ''],
    ['listen 80;', `listen 127.0.0.1:${ports.http};`],
    ['listen 443 ssl;', `listen 127.0.0.1:${ports.https} ssl;`],
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${ports.box};`],
    ['/etc/letsencrypt/live/chat.example.com/fullchain.pem', certificate.certFile],
    ['/etc/letsencrypt/live/chat.example.com/privkey.pem', certificate.keyFile],
  ];
  let config = shipped;
  for (const [from, to] of replacements) {
    if (!config.includes(from)) throw new Error(`deploy/nginx.conf no longer has "${from.trim()}": update this test with it`);
    config = config.replace(from, to);
  }
  return config;
}

describe.skipIf(!nginxBinary)('deploy/nginx.conf in front of the server', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-nginx-'));
    certificate = await makeCertificate(dir, 'proxy', ['chat.example.com']);
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
          done();
        },
      }),
    );
    box = await TestServer.start({ env: { NOVA_TRUST_PROXY: '1' }, widgetConversationsPerIp: 2, logger });

    const ports = { https: await freePort(), http: await freePort(), box: box.server.port };
    redirectPort = ports.http;
    fs.writeFileSync(path.join(dir, 'nova-chat.conf'), testConfig(fs.readFileSync(path.join(root, 'deploy', 'nginx.conf'), 'utf8'), ports));
    const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      [
        process.getuid?.() === 0 ? 'user root;' : '', // workers read the temp folders made here
        'worker_processes 1;',
        `pid ${path.join(dir, 'nginx.pid')};`,
        `error_log ${path.join(dir, 'error.log')} warn;`,
        'events { worker_connections 256; }',
        'http {',
        `  access_log ${path.join(dir, 'access.log')};`,
        `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
        `  include ${path.join(dir, 'nova-chat.conf')};`,
        '}',
      ].join('\n'),
    );
    const check = spawnSync(nginxBinary!, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`nginx -t refused the config:\n${check.stderr}`);
    nginx = spawn(nginxBinary!, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proxyUrl = `https://127.0.0.1:${ports.https}`;
    api = new HttpsCalls(proxyUrl, certificate.cert);
    // nginx is up once it answers; it prints why it could not start on stderr.
    let stderr = '';
    nginx.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (
      let tries = 0;
      (await api.get('/health').then(
        (r) => r.status,
        () => 0,
      )) !== 200;
      tries++
    ) {
      if (tries > 150 || nginx.exitCode !== null) throw new Error(`nginx did not come up: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    if (nginx && nginx.exitCode === null) await new Promise((resolve) => nginx.once('exit', resolve));
    await box?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends plain HTTP to https', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`http://127.0.0.1:${redirectPort}/app`, { headers: { host: 'chat.example.com' } }, resolve).on('error', reject),
    );
    res.resume();
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('https://chat.example.com/app');
  });

  it('widget API: visitors are counted by the address nginx saw, whatever X-Forwarded-For they send, and the scheme is https', async () => {
    const owner = await signUp(api);
    const bound = await api.post('/nc-api/v1/account/bind-domain', { website_url: 'https://shop.example' }, owner.token);
    expect(bound.status).toBe(201);
    const open = (visitor: string, forged?: string) =>
      httpsRequest(`${proxyUrl}/api/v1/widget/conversations?website_token=${bound.body.website_token}`, certificate.cert, {
        method: 'POST',
        localAddress: visitor, // Linux routes all of 127/8 to lo: each is another visitor to nginx
        headers: { 'content-type': 'application/json', origin: 'https://shop.example', ...(forged ? { 'x-forwarded-for': forged } : {}) },
        body: JSON.stringify({ contact: { name: 'Visitor' }, message: 'Hello' }),
      }).then((r) => r.status);
    expect([await open('127.0.0.2'), await open('127.0.0.2', '203.0.113.1'), await open('127.0.0.2', '203.0.113.2')]).toEqual([
      201, 201, 429,
    ]);
    expect(await open('127.0.0.3')).toBe(201); // another visitor has their own allowance
    const seen = logLines.filter((l) => l.msg === 'request' && l.path === '/api/v1/widget/conversations');
    expect(seen.map((l) => [l.ip, l.protocol])).toEqual([
      ['127.0.0.2', 'https'],
      ['127.0.0.2', 'https'],
      ['127.0.0.2', 'https'],
      ['127.0.0.3', 'https'],
    ]);
  });

  it('WebSocket upgrades and SSE streams pass through, and events arrive on both as they happen', async () => {
    const owner = await signUp(api);
    const bound = await api.post('/nc-api/v1/account/bind-domain', { website_url: 'https://shop.example' }, owner.token);
    const socket = await RealtimeClient.connect(proxyUrl, { access_token: owner.token }, { ca: certificate.cert });
    const sse: string[] = [];
    const stream = https.get(`${proxyUrl}/realtime/sse?access_token=${owner.token}`, { ca: certificate.cert, agent: false }, (res) => {
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['content-type'])).toContain('text/event-stream');
      res.on('data', (chunk: Buffer) => sse.push(chunk.toString()));
    });
    try {
      await expect.poll(() => sse.join('').includes('retry:'), { timeout: 10_000 }).toBe(true);
      const conversation = await api.post(
        `/api/v1/widget/conversations?website_token=${bound.body.website_token}`,
        { contact: { name: 'Ada' }, message: 'Through the proxy' },
        undefined,
        { origin: 'https://shop.example' },
      );
      expect(conversation.status).toBe(201);
      const event = await socket.waitFor((e) => e.type === 'message_created' && e.data.message.content === 'Through the proxy', 10_000);
      expect(event).toBeDefined();
      // Unbuffered: the event reaches the stream while it stays open.
      await expect.poll(() => sse.join('').includes('Through the proxy'), { timeout: 10_000 }).toBe(true);
    } finally {
      socket.socket.close();
      stream.destroy();
    }
  });
});

import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lanAddresses } from '../server/lan.js';
import { portToBind } from '../test/helpers/ports.js';
import { ServerLifecycle, type ServerStatus } from './server-lifecycle.js';

// A real address of this machine other than loopback: what a phone on the office Wi-Fi would use.
const lanIp = lanAddresses().find((a) => a.family === 'IPv4')?.address;

let dataDir: string;
let lifecycle: ServerLifecycle;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-desktop-lifecycle-'));
  lifecycle = new ServerLifecycle({ dataDir, env: { NOVA_SECRET_STORE: 'file' }, logger: pino({ level: 'silent' }) });
});

afterEach(async () => {
  await lifecycle.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function healthAt(base: string): Promise<number | 'refused'> {
  try {
    return (await fetch(`${base}/health`)).status;
  } catch {
    return 'refused';
  }
}

async function post(base: string, urlPath: string, body: unknown, token?: string) {
  const res = await fetch(base + urlPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('embedded server lifecycle', () => {
  it('runs on loopback only until the LAN switch is on, then on every interface on the same port, keeping the data', async () => {
    const port = await portToBind('127.0.0.1');
    const loopback = await lifecycle.start(false, port);
    expect(loopback).toMatchObject({
      // First, so that a start that failed says why.
      error: null,
      state: 'running',
      host: '127.0.0.1',
      port,
      serveLan: false,
      lanUrls: [],
      url: `http://127.0.0.1:${port}`,
    });
    expect(await healthAt(loopback.url!)).toBe(200);
    if (lanIp) expect(await healthAt(`http://${lanIp}:${port}`)).toBe('refused');

    const account = { name: 'Corner Shop', email: 'owner@corner.test', password: 'correct horse battery' };
    expect((await post(loopback.url!, '/nc-api/v1/accounts', account)).status).toBe(201);

    const lan = await lifecycle.setServeLan(true);
    expect(lan).toMatchObject({ state: 'running', host: '0.0.0.0', port, serveLan: true, url: `http://127.0.0.1:${port}` });
    if (lanIp) {
      expect(lan.lanUrls[0]).toBe(`http://${lanIp}:${port}`);
      expect(await healthAt(lan.lanUrls[0]!)).toBe(200);
    }
    // The same database behind the restarted server, and snippets that point at the LAN address.
    const login = await post(lan.url!, '/nc-api/v1/auth/login', { email: account.email, password: account.password });
    expect(login.status).toBe(200);
    const bound = await post(lan.url!, '/nc-api/v1/account/bind-domain', { website_url: 'https://corner.test' }, login.body.token);
    expect(bound.status).toBe(201);
    if (lanIp) expect(bound.body.widget_code).toContain(`http://${lanIp}:${port}/widget.js`);

    const back = await lifecycle.setServeLan(false);
    expect(back).toMatchObject({ state: 'running', host: '127.0.0.1', port, lanUrls: [] });
    expect(await healthAt(back.url!)).toBe(200);
    if (lanIp) expect(await healthAt(`http://${lanIp}:${port}`)).toBe('refused');
  });

  it('stops cleanly: the port is released and the status says stopped', async () => {
    const running = await lifecycle.start(false, 0);
    const stopped = await lifecycle.stop();
    expect(stopped).toMatchObject({ state: 'stopped', url: null, port: null });
    expect(await healthAt(running.url!)).toBe('refused');
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer().once('error', reject);
      probe.listen(running.port!, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('moves to a free port when the preferred one is taken by another program', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()));
    const taken = (squatter.address() as net.AddressInfo).port;
    try {
      const status = await lifecycle.start(false, taken);
      expect(status.state).toBe('running');
      expect(status.port).not.toBe(taken);
      expect(await healthAt(status.url!)).toBe(200);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('serialises quick LAN toggles: the last click wins and exactly one server is left', async () => {
    await lifecycle.start(false, 0);
    const seen: ServerStatus['state'][] = [];
    lifecycle.onChange((s) => seen.push(s.state));
    const results = await Promise.all([lifecycle.setServeLan(true), lifecycle.setServeLan(false), lifecycle.setServeLan(true)]);
    const final = results[2]!;
    expect(final).toMatchObject({ state: 'running', host: '0.0.0.0', serveLan: true });
    expect(lifecycle.status()).toEqual(final);
    expect(seen.filter((s) => s === 'running')).toHaveLength(3);
    expect(await healthAt(final.url!)).toBe(200);
  });

  it('reports a start failure in its status instead of throwing', async () => {
    const notADir = path.join(dataDir, 'file');
    await fs.writeFile(notADir, 'x');
    const broken = new ServerLifecycle({ dataDir: notADir, env: {}, logger: pino({ level: 'silent' }) });
    const status = await broken.start(false, 0);
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/EEXIST|ENOTDIR|not a directory/i);
  });
});

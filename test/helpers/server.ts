import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer, type StartOptions } from '../../server/index.js';
import { createPostgresDatabase, onPostgres } from './database.js';

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers; text: string };

export type RequestOptions = { token?: string; headers?: Record<string, string>; rawBody?: string | Uint8Array | FormData };

/** JSON calls to a server under test: each answers its status, parsed body, headers and text. */
export abstract class ServerCalls {
  abstract get url(): string;

  async request<T = any>(method: string, urlPath: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Uint8Array | FormData | undefined = options.rawBody;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.url + urlPath, { method, headers, body: payload as RequestInit['body'] });
    const text = await res.text();
    return { status: res.status, body: parsedBody(text) as T, headers: res.headers, text };
  }

  /**
   * POSTs JSON from another loopback address (127.0.0.2, 127.0.0.3…: Linux routes all of 127/8 to lo), so a
   * test can play callers at different addresses. fetch cannot pick its source address; node:http can.
   */
  postFrom<T = any>(localAddress: string, urlPath: string, body: unknown, token?: string): Promise<ApiResponse<T>> {
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
    if (token) headers.authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = http.request(this.url + urlPath, { method: 'POST', headers, localAddress }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
          resolve({ status: res.statusCode ?? 0, body: parsedBody(text) as T, headers: responseHeaders, text });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  get = <T = any>(p: string, token?: string, headers?: Record<string, string>) => this.request<T>('GET', p, undefined, { token, headers });
  post = <T = any>(p: string, body: unknown, token?: string, headers?: Record<string, string>) =>
    this.request<T>('POST', p, body, { token, headers });
  put = <T = any>(p: string, body: unknown, token?: string) => this.request<T>('PUT', p, body, { token });
  del = <T = any>(p: string, token?: string) => this.request<T>('DELETE', p, undefined, { token });
}

/**
 * A real server on a loopback port with its own temp data dir (and, in the Postgres pass, its own
 * PostgreSQL database). `restart()` stops it and starts it again on the same data.
 */
export class TestServer extends ServerCalls {
  private constructor(
    public server: RunningServer,
    readonly dataDir: string,
    private readonly options: StartOptions,
    private readonly dropDatabase?: () => Promise<void>,
  ) {
    super();
  }

  static async start(options: StartOptions = {}): Promise<TestServer> {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-test-'));
    const database = onPostgres ? await createPostgresDatabase() : undefined;
    const full: StartOptions = {
      env: {},
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: database?.url,
      secretStore: 'file',
      logLevel: 'silent',
      // Every test signs up from 127.0.0.1, many accounts per file: the sign-up throttle's own tests set a low one.
      signupsPerAddress: 10_000,
      // No scheduled backups unless a test asks for them (the backups tests set an interval).
      backupIntervalHours: 0,
      ...options,
    };
    return new TestServer(await startServer(full), dataDir, full, database?.drop);
  }

  /**
   * A second server process's stand-in on the same database as `first` (its own data dir and port): what two
   * nodes behind a load balancer are. Close it before `first`, which drops the database.
   */
  static async startBeside(first: TestServer, options: StartOptions = {}): Promise<TestServer> {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-test-'));
    const full: StartOptions = { ...first.options, dataDir, ...options };
    return new TestServer(await startServer(full), dataDir, full);
  }

  get url(): string {
    return this.server.url;
  }

  get deps() {
    return this.server.deps;
  }

  async restart(): Promise<void> {
    await this.server.close();
    this.server = await startServer(this.options);
  }

  /** Starts again over the same data with some options changed (the previous instance must be closed). */
  async restartOn(changes: StartOptions): Promise<void> {
    this.server = await startServer({ ...this.options, ...changes });
  }

  async close(): Promise<void> {
    await this.server.close();
    await this.dropDatabase?.();
    await fs.rm(this.dataDir, { recursive: true, force: true });
  }
}

/** A response body as JSON when it is JSON, else its text. */
function parsedBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

let counter = 0;

/** Registers a fresh account and returns its owner's token and ids. */
export async function signUp(t: ServerCalls, overrides: Record<string, unknown> = {}) {
  counter += 1;
  const email = `owner${counter}-${Date.now()}@example.com`;
  const res = await t.post('/nc-api/v1/accounts', { name: `Company ${counter}`, email, password: 'MyPass123!', ...overrides });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  return { token: res.body.token as string, accountId: res.body.account.id as number, userId: res.body.user.id as number, email };
}

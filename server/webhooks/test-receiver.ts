import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedRequest = { headers: http.IncomingHttpHeaders; rawBody: string; body: Record<string, any>; path: string };

/** What the receiver answers the n-th request (1-based): a status (and headers), or `hang` to never answer. */
export type Responder = (request: ReceivedRequest, n: number) => { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A webhook receiver on loopback, as a customer would write one: it keeps the raw body, and `verify`
 * checks the signature exactly as the API docs tell receivers to.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly hanging = new Set<http.ServerResponse>();
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: http.Server,
    public respond: Responder,
  ) {}

  static async start(respond: Responder = () => ({ status: 200 })): Promise<WebhookReceiver> {
    const server = http.createServer();
    const receiver = new WebhookReceiver(server, respond);
    server.on('request', (req, res) => receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/nova`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(rawBody);
      } catch {
        /* kept raw */
      }
      const request = { headers: req.headers, rawBody, body, path: req.url ?? '' };
      this.requests.push(request);
      const answer = this.respond(request, this.requests.length);
      for (const wake of this.waiters.splice(0)) wake();
      if (answer === 'hang') {
        this.hanging.add(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end('ok');
    });
  }

  /** Waits (without a deadline of its own: the test's timeout bounds it) until `predicate` holds. */
  async waitFor(predicate: (requests: ReceivedRequest[]) => boolean): Promise<ReceivedRequest[]> {
    while (!predicate(this.requests)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.requests;
  }

  /** Answers every request left hanging so far. */
  answerHanging(status: number): void {
    for (const res of this.hanging) res.writeHead(status).end('ok');
    this.hanging.clear();
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The receiver-side check from the API docs: HMAC-SHA256 of "<timestamp>.<raw body>", compared in constant time, fresh timestamp. */
export function verifySignature(secret: string, request: ReceivedRequest, nowSeconds = Date.now() / 1000): boolean {
  const timestamp = String(request.headers['x-nova-timestamp'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.rawBody}`).digest('hex')}`;
  const given = String(request.headers['x-nova-signature'] ?? '');
  const fresh = Math.abs(nowSeconds - Number(timestamp)) <= 300;
  return fresh && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Polls `read` until `done` says its value is final (for state the server reaches asynchronously). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, intervalMs = 20): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

import http from 'node:http';
import https from 'node:https';
import { VERSION } from '../paths.js';
import { signPayload } from './crypto.js';
import { DestinationRefusedError, type DestinationPolicy } from './destinations.js';

export type SendResult = { statusCode: number | null; error: string | null; durationMs: number };

export type WebhookRequest = { url: string; secret: string; event: string; deliveryId: string; attempt: number; body: string };

/** Answers are read (to keep the connection reusable) but only this much; the rest is cut off. */
const MAX_RESPONSE_BYTES = 64 * 1024;

class TimeoutError extends Error {}

function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof TimeoutError) return `timed out after ${timeoutMs} ms`;
  // Said without the connection's outcome, so the log cannot tell an open port from a closed one.
  if (err instanceof DestinationRefusedError) return err.message;
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}: ${e.message}` : (e?.message ?? String(err));
}

/**
 * Signed POSTs over keep-alive connections (node:http rather than fetch: fewer allocations per
 * request, and no redirect handling to switch off). Only a 2xx counts as delivered; a redirect is a
 * failure and is never followed, so a receiver cannot bounce deliveries elsewhere.
 */
export class WebhookClient {
  private readonly agents: Record<'http:' | 'https:', http.Agent>;

  /** Every connection resolves its host through the destination policy, so the address connected to is the one checked. */
  constructor(private readonly destinations: DestinationPolicy) {
    const lookup = destinations.lookup;
    this.agents = { 'http:': new http.Agent({ keepAlive: true, lookup }), 'https:': new https.Agent({ keepAlive: true, lookup }) };
  }

  async send(request: WebhookRequest, timeoutMs: number): Promise<SendResult> {
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const { status, location } = await this.post(request, timestamp, timeoutMs);
      const durationMs = elapsed();
      if (status >= 200 && status < 300) return { statusCode: status, error: null, durationMs };
      if (status >= 300 && status < 400)
        return { statusCode: status, error: `redirect not followed${location ? ` (Location: ${location})` : ''}`, durationMs };
      return { statusCode: status, error: `HTTP ${status}`, durationMs };
    } catch (err) {
      return { statusCode: null, error: describeError(err, timeoutMs), durationMs: elapsed() };
    }
  }

  private post(request: WebhookRequest, timestamp: number, timeoutMs: number): Promise<{ status: number; location?: string }> {
    const url = new URL(request.url);
    this.destinations.assertConnectable(url); // an IP literal is connected to without a lookup
    const transport = url.protocol === 'https:' ? https : http;
    const body = Buffer.from(request.body, 'utf8');
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: 'POST',
          agent: this.agents[url.protocol as 'http:' | 'https:'],
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': body.length,
            'User-Agent': `NovaChat-Webhooks/${VERSION}`,
            'X-Nova-Event': request.event,
            'X-Nova-Delivery': request.deliveryId,
            'X-Nova-Attempt': String(request.attempt),
            'X-Nova-Timestamp': String(timestamp),
            'X-Nova-Signature': signPayload(request.secret, timestamp, request.body),
          },
        },
        (res) => {
          const answer = { status: res.statusCode ?? 0, location: res.headers.location };
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) {
              req.destroy();
              resolve(answer);
            }
          });
          res.on('end', () => resolve(answer));
          res.on('error', reject);
        },
      );
      const timer = setTimeout(() => req.destroy(new TimeoutError()), timeoutMs);
      req.on('error', reject);
      req.on('close', () => clearTimeout(timer));
      req.end(body);
    });
  }

  close(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }
}

import { VERSION } from '../paths.js';
import { signPayload } from './crypto.js';

export type SendResult = { statusCode: number | null; error: string | null; durationMs: number };

const MAX_RESPONSE_BYTES = 64 * 1024;

/** Reads (and discards) at most 64 KiB of the answer so the connection can be reused; a huge answer is cut off. */
async function drain(res: Response): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    read += value.byteLength;
    if (read > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      return;
    }
  }
}

function describeError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = e?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return e?.message || String(err);
}

/**
 * One signed POST. Only a 2xx counts as delivered; a redirect is reported as a failure and never
 * followed (the receiver must be configured with its final URL).
 */
export async function sendWebhook(
  request: { url: string; secret: string; event: string; deliveryId: string; attempt: number; body: string },
  timeoutMs: number,
): Promise<SendResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': `NovaChat-Webhooks/${VERSION}`,
        'X-Nova-Event': request.event,
        'X-Nova-Delivery': request.deliveryId,
        'X-Nova-Attempt': String(request.attempt),
        'X-Nova-Timestamp': String(timestamp),
        'X-Nova-Signature': signPayload(request.secret, timestamp, request.body),
      },
      body: request.body,
    });
    await drain(res);
    const durationMs = elapsed();
    if (res.status >= 200 && res.status < 300) return { statusCode: res.status, error: null, durationMs };
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      return { statusCode: res.status, error: `redirect not followed${location ? ` (Location: ${location})` : ''}`, durationMs };
    }
    return { statusCode: res.status, error: `HTTP ${res.status}`, durationMs };
  } catch (err) {
    return { statusCode: null, error: describeError(err, timeoutMs), durationMs: elapsed() };
  }
}

import http from 'node:http';

/** One keep-alive pool for a bench's load generator: connection set-up is not what a bench measures. */
export const benchAgent = new http.Agent({ keepAlive: true, maxSockets: 512 });

/** A JSON request through the bench's pool; the answer's status and parsed body (never throws on a status). */
export function request(base: string, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request(
      base + urlPath,
      {
        method,
        agent: benchAgent,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

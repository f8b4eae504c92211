import http from 'node:http';

/** One keep-alive pool for a bench's load generator: connection set-up is not what a bench measures. */
export const benchAgent = new http.Agent({ keepAlive: true, maxSockets: 512 });

/** A keep-alive connection of one client's own, as a visitor's browser holds one (destroy it when done). */
export const ownConnection = () => new http.Agent({ keepAlive: true, maxSockets: 1 });

type Answer = { status: number; body: any };

/**
 * A JSON request through the bench's pool; the answer's status and parsed body (never throws on a status).
 * A kept-alive socket the server closed as the request went out (idle past its keep-alive timeout) is retried
 * once on a fresh one, as Node's docs advise (`request.reusedSocket`): the server never saw that request.
 */
export async function request(
  base: string,
  method: string,
  urlPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
  agent: http.Agent = benchAgent,
) {
  try {
    return await requestOnce(base, method, urlPath, body, headers, agent);
  } catch (err) {
    if ((err as { reusedSocketReset?: boolean }).reusedSocketReset) return requestOnce(base, method, urlPath, body, headers, agent);
    throw err;
  }
}

function requestOnce(base: string, method: string, urlPath: string, body: unknown, headers: Record<string, string>, agent: http.Agent) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      base + urlPath,
      {
        method,
        agent,
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
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(Object.assign(err, { reusedSocketReset: req.reusedSocket && err.code === 'ECONNRESET' })),
    );
    req.end(payload);
  });
}

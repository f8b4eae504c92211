import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import selfsigned from 'selfsigned';
import { ServerCalls, type ApiResponse, type RequestOptions } from './server.js';

export type TestCertificate = {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  /** `sha256/…` of the certificate as Node's X509Certificate writes it (AA:BB:…). */
  fingerprint256: string;
  /** base64 SHA-256 of the public key (SPKI): what Chromium's --ignore-certificate-errors-spki-list takes. */
  spki: string;
};

/** A fresh self-signed EC certificate for 127.0.0.1/localhost (and any extra names), written as PEM files under `dir`. */
export async function makeCertificate(dir: string, name = 'server', extraNames: string[] = []): Promise<TestCertificate> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: `nova-test-${name}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
          ...extraNames.map((value) => ({ type: 2 as const, value })),
        ],
      },
    ],
  });
  await fs.mkdir(dir, { recursive: true });
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  await fs.writeFile(certFile, pems.cert);
  await fs.writeFile(keyFile, pems.private, { mode: 0o600 });
  const x509 = new X509Certificate(pems.cert);
  const spkiDer = x509.publicKey.export({ type: 'spki', format: 'der' });
  return {
    certFile,
    keyFile,
    cert: pems.cert,
    key: pems.private,
    fingerprint256: x509.fingerprint256,
    spki: createHash('sha256').update(spkiDer).digest('base64'),
  };
}

/** Replaces a file the way a renewal does: written beside it, then renamed over it. */
export async function replaceFile(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.new`;
  await fs.writeFile(tmp, content);
  await fs.rename(tmp, file);
}

export type HttpsAnswer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
  fingerprint256: string;
};

/**
 * One HTTPS request on a new connection (no keep-alive, so each call sees the certificate served now), trusting
 * only `ca`. Answers the status, headers, body and the fingerprint of the certificate the server presented.
 */
export function httpsRequest(
  url: string,
  ca: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ca, agent: false, localAddress: options.localAddress },
      (res) => {
        const fingerprint256 = (res.socket as TLSSocket).getPeerX509Certificate?.()?.fingerprint256 ?? '';
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body, fingerprint256 });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The test servers' JSON calls over HTTPS, trusting only `ca` (fetch cannot be given a CA of its own). */
export class HttpsCalls extends ServerCalls {
  constructor(
    readonly url: string,
    private readonly ca: string,
  ) {
    super();
  }

  override async request<T = any>(method: string, urlPath: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await httpsRequest(this.url + urlPath, this.ca, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
    return { status: res.status, body: res.body as T, headers: responseHeaders, text: res.text };
  }
}

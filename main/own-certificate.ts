import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { TlsFiles } from './server-lifecycle.js';
import { sameOrigin } from './window-security.js';

/**
 * Whether a certificate Chromium refused (self-signed, or made for the public name rather than 127.0.0.1,
 * where the window opens the console) is the one the embedded server was started with: only then does the
 * console window trust it. Any other origin, or any other certificate, stays refused.
 */
export function isOwnCertificate(url: string, presentedPem: string, serverOrigin: string | null, tls: TlsFiles): boolean {
  if (!tls || !serverOrigin || !sameOrigin(url, serverOrigin)) return false;
  try {
    // The configured file may be a full chain: X509Certificate reads its first certificate, the server's own.
    return new X509Certificate(presentedPem).fingerprint256 === new X509Certificate(fs.readFileSync(tls.certFile)).fingerprint256;
  } catch {
    return false;
  }
}

import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type https from 'node:https';
import tls from 'node:tls';
import type { Logger } from 'pino';

export type TlsFiles = { certFile: string; keyFile: string };

/** How long after the last change of either file the pair is read again: a renewal writes both, one after the other. */
const SETTLE_MS = 500;
/** How often the files are looked at (stat, not read): fs.watchFile follows renames and symlinks (certbot's live/ links). */
const POLL_MS = 2000;

export type LoadedPair = { key: Buffer; cert: Buffer; subject: string; validTo: string; fingerprint256: string };

/**
 * Reads and checks a certificate/key pair (PEM): both files readable, the certificate parseable and the key
 * its own (OpenSSL refuses a mismatched pair when the context is built). Throws naming the file at fault.
 */
export function loadPair({ certFile, keyFile }: TlsFiles): LoadedPair {
  const cert = readPem(certFile, 'certificate');
  const key = readPem(keyFile, 'key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new Error(`NOVA_TLS_CERT ${certFile} is not a PEM certificate: ${(err as Error).message}`);
  }
  try {
    tls.createSecureContext({ key, cert });
  } catch (err) {
    throw new Error(`NOVA_TLS_KEY ${keyFile} does not go with the certificate ${certFile}: ${(err as Error).message}`);
  }
  return { key, cert, subject: x509.subject.replace(/\n/g, ', '), validTo: x509.validTo, fingerprint256: x509.fingerprint256 };
}

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read the TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * Keeps an HTTPS server on the current certificate: `reload()` (SIGHUP, or a change of either file) reads the
 * pair again and swaps it in for new connections, with no restart and no dropped connection. A pair that does
 * not load (half-written, mismatched, unreadable) is logged and the one in use kept.
 */
export class CertificateReloader {
  private timer: NodeJS.Timeout | undefined;
  private server: https.Server | undefined;
  private readonly changed = () => this.reloadSoon();
  current: LoadedPair;

  constructor(
    private readonly files: TlsFiles,
    initial: LoadedPair,
    private readonly log: Logger,
  ) {
    this.current = initial;
  }

  /** The options the HTTPS server is created with. */
  serverOptions(): https.ServerOptions {
    return { key: this.current.key, cert: this.current.cert };
  }

  /** Starts watching both files for the server that serves this pair. */
  attach(server: https.Server): void {
    this.server = server;
    for (const file of this.fileList()) fs.watchFile(file, { interval: POLL_MS, persistent: false }, this.changed);
  }

  /** True when the pair on disk was loaded (false: kept the old one). */
  reload(reason: string): boolean {
    let next: LoadedPair;
    try {
      next = loadPair(this.files);
    } catch (err) {
      this.log.error({ err: (err as Error).message, reason }, 'TLS certificate not reloaded: keeping the one in use');
      return false;
    }
    this.server?.setSecureContext({ key: next.key, cert: next.cert });
    const renewed = next.fingerprint256 !== this.current.fingerprint256;
    this.current = next;
    this.log.info({ reason, subject: next.subject, valid_to: next.validTo, renewed }, 'TLS certificate reloaded');
    return true;
  }

  private reloadSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload('file changed'), SETTLE_MS);
    this.timer.unref();
  }

  close(): void {
    clearTimeout(this.timer);
    for (const file of this.fileList()) fs.unwatchFile(file, this.changed);
    this.server = undefined;
  }

  private fileList(): string[] {
    return [this.files.certFile, this.files.keyFile];
  }
}

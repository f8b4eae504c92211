import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { z } from 'zod';
import { BackupFileError, createSealer, openBackup, type BackupHeader, type HeaderFields } from './format.js';

/** The tar entries of a backup's body. */
const MANIFEST_ENTRY = 'manifest.json';
const DATABASE_ENTRY = 'database.sqlite';
/** A file being written has this suffix until it is complete and synced: nothing lists or restores it. */
export const PARTIAL_SUFFIX = '.partial';

const manifestSchema = z.object({ secrets: z.record(z.string(), z.string()) });
export type BackupManifest = z.infer<typeof manifestSchema>;

export type BackupContents = {
  /** The instance secrets by name (JWT secret, webhook master key). */
  secrets: Record<string, string>;
  /** A database snapshot to put in (absent on PostgreSQL, which pg_dump backs up). */
  databaseFile?: string;
};

/** Makes a rename durable: the directory entry itself is synced (a no-op where directories cannot be opened). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch (err) {
    if (!['EISDIR', 'EPERM', 'EINVAL'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  }
}

/**
 * Writes a backup file (format.ts) at `target`: first as `target.partial` (0600), synced to disk, then
 * renamed. A backup cut short by a crash or a kill is only ever a `.partial` file, which lacks its
 * trailer and so never opens as a complete backup either.
 */
export async function writeBackupFile(
  target: string,
  fields: HeaderFields,
  contents: BackupContents,
  passphrase: string | undefined,
): Promise<{ size: number; header: BackupHeader }> {
  const partial = target + PARTIAL_SUFFIX;
  const sealer = await createSealer(fields, passphrase);
  const out = await fsp.open(partial, 'w', 0o600);
  try {
    await out.write(sealer.prefix);
    const pack = tar.pack();
    const sealing = new Transform({
      transform: (chunk: Buffer, _encoding, done) => done(null, sealer.update(chunk)),
      flush(done) {
        for (const piece of sealer.finish()) this.push(piece);
        done();
      },
    });
    // Written through the handle itself (not a stream that owns it): it is synced and closed below.
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void out.write(chunk).then(() => done(), done) });
    const written = pipeline(Readable.from(pack), createGzip(), sealing, sink);
    const packed = (async () => {
      const manifest: BackupManifest = { secrets: contents.secrets };
      pack.entry({ name: MANIFEST_ENTRY, mode: 0o600 }, JSON.stringify(manifest));
      if (contents.databaseFile) {
        const { size } = await fsp.stat(contents.databaseFile);
        // tar-stream's entries are streamx streams: node's pipe() feeds them, node's pipeline() does not see them end.
        await new Promise<void>((resolve, reject) => {
          const source = fs.createReadStream(contents.databaseFile!).on('error', reject);
          source.pipe(pack.entry({ name: DATABASE_ENTRY, size, mode: 0o600 }, (err) => (err ? reject(err) : resolve())));
        });
      }
      pack.finalize();
    })();
    await Promise.all([written, packed]);
    await out.sync();
    const { size } = await out.stat();
    await out.close();
    await fsp.rename(partial, target);
    await syncDirectory(path.dirname(target));
    return { size, header: sealer.header };
  } catch (err) {
    await out.close().catch(() => undefined);
    await fsp.rm(partial, { force: true });
    throw err;
  }
}

/** The body of an opened backup as a stream of the gzip'd tar, which errors unless every byte was intact. */
async function bodyStream(handle: fsp.FileHandle, passphrase: string | undefined): Promise<{ header: BackupHeader; body: Readable }> {
  const opened = await openBackup(handle, passphrase);
  if (opened.bodyEnd <= opened.bodyStart) throw new BackupFileError('The backup file is damaged (it is cut short).', 'damaged');
  const opener = opened.opener();
  const checking = new Transform({
    transform: (chunk: Buffer, _encoding, done) => done(null, opener.update(chunk)),
    flush(done) {
      try {
        this.push(opener.verify());
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  const raw = handle.createReadStream({ start: opened.bodyStart, end: opened.bodyEnd - 1, autoClose: false });
  return { header: opened.header, body: raw.pipe(checking).on('close', () => raw.destroy()) };
}

const damaged = (err: unknown) =>
  err instanceof BackupFileError ? err : new BackupFileError(`The backup file is damaged (${(err as Error).message}).`, 'damaged');

/** Reads the whole file and checks it is an intact backup this passphrase opens; writes nothing. */
export async function verifyBackupFile(file: string, passphrase: string | undefined): Promise<BackupHeader> {
  const handle = await fsp.open(file, 'r');
  try {
    const { header, body } = await bodyStream(handle, passphrase);
    await pipeline(body, new Writable({ write: (_chunk, _encoding, done) => done() })).catch((err: unknown) => {
      throw damaged(err);
    });
    return header;
  } finally {
    await handle.close();
  }
}

/**
 * Unpacks a backup into `stagingDir` (the database as `database.sqlite`); only once all of it passed the
 * integrity check does it answer, so the caller moves files into place from a backup known to be whole.
 */
export async function extractBackupFile(
  file: string,
  passphrase: string | undefined,
  stagingDir: string,
): Promise<{ header: BackupHeader; manifest: BackupManifest; databaseFile?: string }> {
  const handle = await fsp.open(file, 'r');
  try {
    const { header, body } = await bodyStream(handle, passphrase);
    const extract = tar.extract();
    let manifest: BackupManifest | undefined;
    let databaseFile: string | undefined;
    extract.on('entry', (entry, stream, next) => {
      void (async () => {
        if (entry.name === MANIFEST_ENTRY) {
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          manifest = manifestSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } else if (entry.name === DATABASE_ENTRY) {
          databaseFile = path.join(stagingDir, DATABASE_ENTRY);
          await pipeline(stream, fs.createWriteStream(databaseFile, { mode: 0o600 }));
        } else {
          stream.resume(); // an entry a later version added: not ours to restore
          await new Promise<void>((resolve) => stream.on('end', () => resolve()));
        }
      })().then(() => next(), next);
    });
    await pipeline(body, createGunzip(), extract).catch((err: unknown) => {
      throw damaged(err);
    });
    if (!manifest) throw new BackupFileError('The backup file is damaged (it holds no manifest).', 'damaged');
    if (header.database === 'sqlite' && !databaseFile)
      throw new BackupFileError('The backup file is damaged (its database is missing).', 'damaged');
    return { header, manifest, databaseFile };
  } finally {
    await handle.close();
  }
}

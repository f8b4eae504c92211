import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const SETTINGS_FILE = 'desktop-settings.json';

const settingsSchema = z.object({
  /** Listen on every interface (HOST=0.0.0.0) so websites and staff on the LAN reach the server. */
  serveLan: z.boolean().catch(false),
  openAtLogin: z.boolean().catch(false),
  /** The port last used, preferred on the next start so LAN URLs pasted into websites keep working. */
  port: z.number().int().min(1).max(65535).optional().catch(undefined),
  /** The certificate (full chain) and key PEM files to serve HTTPS with (what NOVA_TLS_CERT/NOVA_TLS_KEY are headless). */
  tls: z
    .object({ certFile: z.string().min(1), keyFile: z.string().min(1) })
    .nullable()
    .optional()
    .catch(undefined),
});

export type DesktopSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: DesktopSettings = { serveLan: false, openAtLogin: false };

/** The desktop shell's own settings, a small JSON file beside the database. */
export class SettingsStore {
  private readonly file: string;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, SETTINGS_FILE);
  }

  /** A missing or damaged file gives the defaults: settings must never stop the app from starting. */
  async load(): Promise<DesktopSettings> {
    let raw: unknown;
    try {
      raw = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
    const parsed = settingsSchema.safeParse(raw);
    return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS };
  }

  /** Read-modify-write, one at a time: a tray click and a port change landing together must both stick. */
  update(change: Partial<DesktopSettings>): Promise<DesktopSettings> {
    const next = this.writes.then(async () => {
      const merged = { ...(await this.load()), ...change };
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(merged, null, 2));
      await fs.rename(tmp, this.file);
      return merged;
    });
    this.writes = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every write asked for so far has finished (or failed): the app waits for it before it exits. */
  async settled(): Promise<void> {
    await this.writes;
  }
}

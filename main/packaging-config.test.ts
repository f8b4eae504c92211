import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder.yml checked with electron-builder's own loader and schema (what `npm run dist` runs first),
// plus the promises the release notes make about it. Building installers needs downloads (see main/README.md).
const root = path.resolve(import.meta.dirname, '..');
type BuilderConfig = Record<string, any>;
const { getConfig, validateConfiguration } = createRequire(import.meta.url)('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const quietLogger = { isEnabled: false, add: () => undefined };
const load = () => getConfig(root, path.join(root, 'electron-builder.yml'), null);

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema validation, which does reject unknown options", async () => {
    const config = await load();
    await expect(validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, asarUnpak: ['x'] }, quietLogger)).rejects.toThrow(/asarUnpak/);
  });

  it('names the product and builds AppImage + deb, NSIS and dmg', async () => {
    const config = await load();
    expect(config).toMatchObject({ appId: 'chat.nova.desktop', productName: 'Nova Chat Desktop', npmRebuild: false });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('pins the Electron version the lockfile installs', async () => {
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string }>;
    };
    expect((await load()).electronVersion).toBe(lock.packages['node_modules/electron']!.version);
  });

  it('ships the built app and the models folder, and unpacks every native addon from the asar', async () => {
    const config = await load();
    expect(config.files[0].filter).toEqual(expect.arrayContaining(['package.json', 'dist/**/*', 'main/assets/tray.png']));
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'models', to: 'models' })]);
    for (const addon of ['hnswlib-node', 'keytar', 'onnxruntime-node', 'sharp']) {
      expect(config.asarUnpack).toContain(`**/node_modules/${addon}/**`);
    }
    // The main process the app starts is the one the build writes.
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/main.js');
  });
});

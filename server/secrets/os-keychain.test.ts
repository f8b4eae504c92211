import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { SECRETS_FILE } from './file.js';
import { getOrCreateSecret, openSecretStore } from './store.js';

/**
 * The path a Linux desktop takes: keytar → libsecret → a real Secret Service (gnome-keyring) on a
 * private D-Bus session that this file starts and stops. `.ci/run` installs gnome-keyring and
 * libsecret (keytar builds against it); where either is missing the file says so and is skipped.
 */
const onPath = (tool: string) => (process.env.PATH ?? '').split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, tool)));
const keytarBuilt = (() => {
  try {
    createRequire(import.meta.url)('keytar');
    return true;
  } catch {
    return false;
  }
})();
const missing = [
  ...(keytarBuilt ? [] : ['keytar (built against libsecret-1-dev)']),
  ...['dbus-daemon', 'gnome-keyring-daemon'].filter((tool) => !onPath(tool)),
];
if (missing.length) console.warn(`OS keychain tests skipped: missing ${missing.join(', ')}`);

let home: string;
let busPid: number | undefined;
const dataDirs: string[] = [];
const dataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-keychain-'));
  dataDirs.push(dir);
  return dir;
};

/**
 * The daemon registers its unlocked login collection on the bus a moment after it forks; a store call could
 * arrive before it ("Object does not exist at path …/collection/login"). Wait for a probe write to succeed, so
 * the tests start against a keyring that answers, as a desktop session's does.
 */
async function keyringAnswers(): Promise<void> {
  const keytar = createRequire(import.meta.url)('keytar') as typeof import('keytar');
  for (let attempt = 0; ; attempt++) {
    try {
      await keytar.setPassword('nova-keychain-test', 'probe', 'probe');
      await keytar.deletePassword('nova-keychain-test', 'probe');
      return;
    } catch (err) {
      if (attempt >= 300) throw err; // 30 s: a loaded CI machine has needed more than 10
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * A session bus that starts no service on demand. A stock session bus does (D-Bus activation): a call to the
 * secrets service made before the unlocked daemon below has taken its name — on a loaded machine, its own
 * start-up check for another daemon — starts a second, locked daemon that wins the name, and the login
 * collection is then never there. With nothing to activate, the unlocked daemon is the only one.
 */
const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=${os.tmpdir()}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`;

describe.skipIf(missing.length > 0)('the OS keychain (gnome-keyring over D-Bus)', () => {
  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-keyring-home-'));
    const busConfig = path.join(home, 'session-bus.conf');
    fs.writeFileSync(busConfig, BUS_CONFIG);
    const [address, pid] = execFileSync('dbus-daemon', [`--config-file=${busConfig}`, '--fork', '--print-address=1', '--print-pid=1'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    busPid = Number(pid);
    // This test file runs in its own process (vitest forks), so the bus address reaches libsecret here only.
    process.env.DBUS_SESSION_BUS_ADDRESS = address;
    // The keyring daemon quits with the bus; its keyring files go to the throwaway home.
    execFileSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
      input: 'nova-ci-keyring\n',
      env: { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_RUNTIME_DIR: home },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    await keyringAnswers();
  });
  afterAll(() => {
    if (busPid) process.kill(busPid);
    for (const dir of [...dataDirs, home]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps each data folder's secret in the keyring, never in a file, and finds it again on the next start", async () => {
    const dir = dataDir();
    const first = await openSecretStore({ dataDir: dir, mode: 'keychain' });
    expect(first.info.backend).toBe('keychain');
    const secret = await getOrCreateSecret(first.store, 'jwt-secret');
    const again = await openSecretStore({ dataDir: dir, mode: 'keychain' });
    expect(await getOrCreateSecret(again.store, 'jwt-secret')).toBe(secret);
    expect(fs.existsSync(path.join(dir, SECRETS_FILE))).toBe(false);
    expect(fs.readdirSync(path.join(home, 'data', 'keyrings')).length).toBeGreaterThan(0);

    const other = await openSecretStore({ dataDir: dataDir(), mode: 'keychain' });
    expect(await getOrCreateSecret(other.store, 'jwt-secret')).not.toBe(secret);
  });

  it('is what a server on the default store uses: /health says so, and tokens survive a restart', async () => {
    const t = await TestServer.start({ secretStore: 'auto' });
    try {
      expect((await t.get('/health')).body.secret_store).toBe('keychain');
      const { token } = await signUp(t);
      await t.restart();
      expect((await t.get('/nc-api/v1/account/status', token)).status).toBe(200);
      expect(fs.existsSync(path.join(t.dataDir, SECRETS_FILE))).toBe(false);
    } finally {
      await t.close();
    }
  });
});

import path from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';

/**
 * Everything the server reads from its environment, parsed once. Options passed to
 * `startServer` (the Electron shell, tests) override the environment.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  NOVA_DATA_DIR: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  NOVA_PLANS_FILE: z.string().optional(),
  NOVA_SECRET_STORE: z.enum(['auto', 'keychain', 'file']).default('auto'),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(7 * 24 * 3600),
  BODY_LIMIT: z.string().default('1mb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().optional(),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(15 * 60),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  plansFile: string | undefined;
  secretStore: 'auto' | 'keychain' | 'file';
  jwtTtlSeconds: number;
  bodyLimit: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Base URL put into widget snippets; defaults to the address the server listens on. */
  publicUrl: string | undefined;
  loginMaxFailures: number;
  loginWindowSeconds: number;
};

export type ConfigOverrides = Partial<Config>;

/** The OS app-data folder: ~/.local/share/nova-chat-desktop, %APPDATA%\nova-chat-desktop, ~/Library/Application Support/… */
export function defaultDataDir(): string {
  return envPaths('nova-chat-desktop', { suffix: '' }).data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${fields}`);
  }
  const e = parsed.data;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.NOVA_DATA_DIR ?? defaultDataDir()),
    databaseUrl: e.DATABASE_URL || undefined,
    plansFile: e.NOVA_PLANS_FILE,
    secretStore: e.NOVA_SECRET_STORE,
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    bodyLimit: e.BODY_LIMIT,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginWindowSeconds: e.LOGIN_WINDOW_SECONDS,
  };
  return { ...config, ...stripUndefined(overrides) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

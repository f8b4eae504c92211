import path from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';
import { MODELS_DIR } from './paths.js';
import { parseTrustProxy, type TrustProxy } from './client-address.js';
import { parseNetworkList } from './webhooks/destinations.js';

/**
 * A base URL browsers load from: http(s), no credentials, query or fragment (a path prefix is fine, e.g.
 * behind a reverse proxy); kept without its trailing slash.
 */
/** An http(s) base URL, kept without its trailing slash (NOVA_PUBLIC_URL, and the owner's setting of it). */
export const baseUrl = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : null;
    if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || /[?#]/.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) base URL like https://chat.example.com (no query or fragment)' });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  });

/** A comma-separated list of CIDR networks or addresses; a malformed entry stops the start naming it. */
const networkList = z
  .string()
  .optional()
  .transform((text, ctx) => {
    try {
      return parseNetworkList(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

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
  /** Seals the instance secrets in the database, shared by every server of it (server/secrets/database.ts). */
  NOVA_SECRET_KEY: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .pipe(z.string().min(32, 'must be at least 32 characters, e.g. the output of `openssl rand -base64 32`').optional()),
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  BODY_LIMIT: z.string().default('1mb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The base URL visitors' browsers use (widget snippets); PUBLIC_URL is its deprecated old name. */
  NOVA_PUBLIC_URL: baseUrl.optional(),
  PUBLIC_URL: baseUrl.optional(),
  /** PEM files: both set, the server speaks HTTPS on PORT (reloaded on SIGHUP or when either file changes). */
  NOVA_TLS_CERT: z.string().trim().min(1).optional(),
  NOVA_TLS_KEY: z.string().trim().min(1).optional(),
  /** Behind a reverse proxy: whose X-Forwarded-For/-Proto to believe (a hop count or networks); off by default. */
  NOVA_TRUST_PROXY: z
    .string()
    .optional()
    .transform((text, ctx) => {
      try {
        return parseTrustProxy(text);
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          message: `must be 0, a number of proxies, or networks like loopback,10.0.0.0/8 (${(err as Error).message})`,
        });
        return z.NEVER;
      }
    }),
  /** Sign-in tries per (address, e-mail) pair per window; the first window lasts LOGIN_BACKOFF_SECONDS, each used-up one doubles the next. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_BACKOFF_SECONDS: z.coerce.number().int().positive().max(86_400).default(60),
  LOGIN_BACKOFF_MAX_SECONDS: z.coerce.number().int().positive().max(86_400).default(3600),
  /** Failures per address and per e-mail per LOGIN_WINDOW_SECONDS; past them only pairs that signed in before may try. */
  LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().positive().default(20),
  LOGIN_EMAIL_MAX_FAILURES: z.coerce.number().int().positive().default(20),
  LOGIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .max(86_400)
    .default(15 * 60),
  /** `closed`: only the first account of an empty instance can be created (the owner's console switch cannot open it). */
  NOVA_SIGNUP: z.enum(['open', 'closed']).default('open'),
  /** Sign-up attempts one address may make per window (429 + Retry-After past it). */
  NOVA_SIGNUPS_PER_ADDRESS: z.coerce.number().int().positive().default(10),
  NOVA_SIGNUP_WINDOW_SECONDS: z.coerce.number().int().positive().max(86_400).default(3600),
  /** Scheduled backups under NOVA_DATA_DIR/backups: every this many hours (0: none), the newest NOVA_BACKUP_KEEP kept. */
  NOVA_BACKUP_INTERVAL_HOURS: z.coerce.number().min(0).max(8760).default(24),
  NOVA_BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  /** Set: backups are encrypted (scrypt + AES-256-GCM) with it, and restoring one asks for it. */
  NOVA_BACKUP_PASSPHRASE: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .pipe(z.string().min(8, 'must be at least 8 characters').optional()),
  /** `use`: Universal Sentence Encoder Lite shipped in npm (default); `transformers`: an ONNX model from models/. */
  NOVA_EMBEDDER: z.enum(['use', 'transformers']).default('use'),
  /** Folder under the models dir holding the transformers.js model (HF layout). */
  NOVA_EMBEDDING_MODEL: z.string().min(1).default('all-MiniLM-L6-v2'),
  NOVA_MODELS_DIR: z.string().optional(),
  /** Webhook outbox: per-attempt timeout, attempts before giving up, backoff (base doubles per attempt, capped, jittered). */
  NOVA_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  NOVA_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  NOVA_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().nonnegative().default(30_000),
  NOVA_WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().nonnegative().default(3_600_000),
  /** Deliveries in flight at once, and how often the outbox is polled when no event wakes it. */
  NOVA_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(32),
  NOVA_WEBHOOK_POLL_MS: z.coerce.number().int().positive().default(1_000),
  /** Webhook destinations (CIDR lists, comma-separated): refused ranges to allow anyway, allowed ranges to refuse. */
  NOVA_WEBHOOK_ALLOWED_NETWORKS: networkList,
  NOVA_WEBHOOK_BLOCKED_NETWORKS: networkList,
  /** How often SLA breaches are looked for (each breach is announced once). */
  NOVA_SLA_CHECK_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /** OpenAI-compatible endpoint the AI agent writes replies with, e.g. http://127.0.0.1:11434/v1 (Ollama); unset: extractive answers. */
  LLM_BASE_URL: z.string().url().optional(),
  LLM_MODEL: z.string().min(1).default('llama3.2'),
  LLM_API_KEY: z.string().optional(),
  /** Past this the agent answers with the best KB item itself. */
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(8000),
  /** Widget abuse limits (Chatwoot-style): new conversations per IP per window, messages per conversation per minute, message length. */
  NOVA_WIDGET_CONVERSATIONS_PER_IP: z.coerce.number().int().positive().default(20),
  NOVA_WIDGET_CONVERSATIONS_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  NOVA_WIDGET_MESSAGES_PER_MINUTE: z.coerce.number().int().positive().default(30),
  NOVA_MESSAGE_MAX_LENGTH: z.coerce.number().int().positive().default(10_000),
  /** The largest file one message may carry (each of at most NOVA_ATTACHMENT_MAX_FILES). */
  NOVA_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  NOVA_ATTACHMENT_MAX_FILES: z.coerce.number().int().positive().max(20).default(5),
  /** Realtime: how often sockets and SSE streams are pinged; a WebSocket that missed a ping by the next one is closed. */
  NOVA_REALTIME_HEARTBEAT_MS: z.coerce.number().int().positive().default(30_000),
  /**
   * Live connections (WebSocket and SSE together): a widget's per conversation and per client address (an
   * IPv6 /64), a console's per signed-in user or API key (an office behind one NAT shares an address).
   */
  NOVA_REALTIME_MAX_PER_CONVERSATION: z.coerce.number().int().positive().default(20),
  NOVA_REALTIME_MAX_PER_ADDRESS: z.coerce.number().int().positive().default(200),
  NOVA_REALTIME_MAX_PER_USER: z.coerce.number().int().positive().default(20),
  /** At most one typing event per sender and conversation this often; changes in between coalesce into the latest. */
  NOVA_REALTIME_TYPING_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  plansFile: string | undefined;
  secretStore: 'auto' | 'keychain' | 'file';
  /** NOVA_SECRET_KEY: set, the instance secrets live in the database sealed with it; unset, on this machine. */
  secretKey: string | undefined;
  jwtTtlSeconds: number;
  bodyLimit: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** NOVA_PUBLIC_URL: the base URL visitors use; unset, the listen address (see PublicUrl in public-url.ts). */
  publicUrl: string | undefined;
  /** NOVA_TLS_CERT / NOVA_TLS_KEY: PEM paths; both set = HTTPS. */
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  /** NOVA_TRUST_PROXY: who may tell the client's address and scheme (server/client-address.ts). */
  trustProxy: TrustProxy;
  loginMaxFailures: number;
  loginBackoffSeconds: number;
  loginBackoffMaxSeconds: number;
  loginAddressMaxFailures: number;
  loginEmailMaxFailures: number;
  loginWindowSeconds: number;
  /** NOVA_SIGNUP: `closed` keeps sign-up closed whatever the instance owner's switch says. */
  signup: 'open' | 'closed';
  signupsPerAddress: number;
  signupWindowSeconds: number;
  /** NOVA_BACKUP_INTERVAL_HOURS (0: no scheduled backups), NOVA_BACKUP_KEEP, NOVA_BACKUP_PASSPHRASE (unset: not encrypted). */
  backupIntervalHours: number;
  backupKeep: number;
  backupPassphrase: string | undefined;
  embedder: 'use' | 'transformers';
  embeddingModel: string;
  /** Where transformers.js models live (default: models/ in the project). */
  modelsDir: string;
  webhookTimeoutMs: number;
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  webhookConcurrency: number;
  webhookPollMs: number;
  /** Networks webhooks may reach although they are refused by default (loopback, link-local…), e.g. `127.0.0.0/8`. */
  webhookAllowedNetworks: string[];
  /** Networks webhooks may not reach although allowed by default (private LAN ranges). */
  webhookBlockedNetworks: string[];
  slaCheckIntervalMs: number;
  /** OpenAI-compatible chat-completions base URL for the AI agent; undefined: extractive answers only. */
  llmBaseUrl: string | undefined;
  llmModel: string;
  llmApiKey: string | undefined;
  llmTimeoutMs: number;
  widgetConversationsPerIp: number;
  widgetConversationsWindowSeconds: number;
  widgetMessagesPerMinute: number;
  messageMaxLength: number;
  attachmentMaxBytes: number;
  attachmentMaxFiles: number;
  realtimeHeartbeatMs: number;
  realtimeMaxPerConversation: number;
  realtimeMaxPerAddress: number;
  realtimeMaxPerUser: number;
  realtimeTypingIntervalMs: number;
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
    secretKey: e.NOVA_SECRET_KEY,
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    bodyLimit: e.BODY_LIMIT,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.NOVA_PUBLIC_URL ?? e.PUBLIC_URL,
    tlsCertFile: e.NOVA_TLS_CERT ? path.resolve(e.NOVA_TLS_CERT) : undefined,
    tlsKeyFile: e.NOVA_TLS_KEY ? path.resolve(e.NOVA_TLS_KEY) : undefined,
    trustProxy: e.NOVA_TRUST_PROXY,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginBackoffSeconds: e.LOGIN_BACKOFF_SECONDS,
    loginBackoffMaxSeconds: e.LOGIN_BACKOFF_MAX_SECONDS,
    loginAddressMaxFailures: e.LOGIN_ADDRESS_MAX_FAILURES,
    loginEmailMaxFailures: e.LOGIN_EMAIL_MAX_FAILURES,
    loginWindowSeconds: e.LOGIN_WINDOW_SECONDS,
    signup: e.NOVA_SIGNUP,
    signupsPerAddress: e.NOVA_SIGNUPS_PER_ADDRESS,
    signupWindowSeconds: e.NOVA_SIGNUP_WINDOW_SECONDS,
    backupIntervalHours: e.NOVA_BACKUP_INTERVAL_HOURS,
    backupKeep: e.NOVA_BACKUP_KEEP,
    backupPassphrase: e.NOVA_BACKUP_PASSPHRASE,
    embedder: e.NOVA_EMBEDDER,
    embeddingModel: e.NOVA_EMBEDDING_MODEL,
    modelsDir: path.resolve(e.NOVA_MODELS_DIR ?? MODELS_DIR),
    webhookTimeoutMs: e.NOVA_WEBHOOK_TIMEOUT_MS,
    webhookMaxAttempts: e.NOVA_WEBHOOK_MAX_ATTEMPTS,
    webhookRetryBaseMs: e.NOVA_WEBHOOK_RETRY_BASE_MS,
    webhookRetryMaxMs: e.NOVA_WEBHOOK_RETRY_MAX_MS,
    webhookConcurrency: e.NOVA_WEBHOOK_CONCURRENCY,
    webhookPollMs: e.NOVA_WEBHOOK_POLL_MS,
    webhookAllowedNetworks: e.NOVA_WEBHOOK_ALLOWED_NETWORKS,
    webhookBlockedNetworks: e.NOVA_WEBHOOK_BLOCKED_NETWORKS,
    slaCheckIntervalMs: e.NOVA_SLA_CHECK_INTERVAL_MS,
    llmBaseUrl: e.LLM_BASE_URL || undefined,
    llmModel: e.LLM_MODEL,
    llmApiKey: e.LLM_API_KEY || undefined,
    llmTimeoutMs: e.LLM_TIMEOUT_MS,
    widgetConversationsPerIp: e.NOVA_WIDGET_CONVERSATIONS_PER_IP,
    widgetConversationsWindowSeconds: e.NOVA_WIDGET_CONVERSATIONS_WINDOW_SECONDS,
    widgetMessagesPerMinute: e.NOVA_WIDGET_MESSAGES_PER_MINUTE,
    messageMaxLength: e.NOVA_MESSAGE_MAX_LENGTH,
    attachmentMaxBytes: e.NOVA_ATTACHMENT_MAX_BYTES,
    attachmentMaxFiles: e.NOVA_ATTACHMENT_MAX_FILES,
    realtimeHeartbeatMs: e.NOVA_REALTIME_HEARTBEAT_MS,
    realtimeMaxPerConversation: e.NOVA_REALTIME_MAX_PER_CONVERSATION,
    realtimeMaxPerAddress: e.NOVA_REALTIME_MAX_PER_ADDRESS,
    realtimeMaxPerUser: e.NOVA_REALTIME_MAX_PER_USER,
    realtimeTypingIntervalMs: e.NOVA_REALTIME_TYPING_INTERVAL_MS,
  };
  const merged = { ...config, ...stripUndefined(overrides) };
  if (Boolean(merged.tlsCertFile) !== Boolean(merged.tlsKeyFile))
    throw new Error('Invalid environment: NOVA_TLS_CERT and NOVA_TLS_KEY go together (set both for HTTPS, or neither)');
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

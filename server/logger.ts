import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout (one line per event), as a LAN service's supervisor expects. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'nova-chat' }, redact: ['req.headers.authorization', 'password', '*.password'] });
}

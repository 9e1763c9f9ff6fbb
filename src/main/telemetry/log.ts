/**
 * Structured logs (pino): JSON lines on stderr, with venue/symbol fields. Credentials are
 * redacted wherever they appear in a logged object. PULSE_LOG_LEVEL sets the level
 * (default info; tests run with warn).
 */
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const log = pino({
  level: process.env.PULSE_LOG_LEVEL ?? 'info',
  base: { app: 'pulse' },
  redact: { paths: ['token', 'apiKey', 'secret', '*.token', '*.apiKey', '*.secret', 'headers.authorization'], censor: '[redacted]' },
});

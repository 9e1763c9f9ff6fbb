/**
 * Structured logs (pino): one logger for the whole engine, JSON lines with `venue`, `symbol` and
 * `clientOrderId` fields where the caller knows them. PULSE_LOG_LEVEL sets the level (default
 * info; tests run with error).
 *
 * Until setupLogging() runs, lines go to stdout as JSON. After it (the `pulse` command and the
 * desktop shell call it) they go to a rotating file, `<dataDir>/logs/pulse.<yyyy-MM-dd>.<n>.log`
 * (a new file each day and at 20 MB, 14 kept), and to the terminal: pretty when stdout is a TTY,
 * JSON lines otherwise. Files and terminal are written in-process (no transport worker): logs
 * are few, and this keeps them working unchanged inside the bundled app.
 *
 * Secrets never reach either. The redact paths censor them as fields (a credentials object, a
 * request's headers); then every line is scanned once more for a secret inside a string: a signed
 * URL in an error message (`&signature=…`), a bearer token, a `"secret":"…"` deeper than the
 * paths reach.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Field names whose values are secrets, wherever they appear (matched exactly by the redact paths, case-insensitively in the line scan). */
const SECRET_FIELDS = [
  'token', 'accessToken', 'refreshToken', 'apiKey', 'api_key', 'apiSecret', 'api_secret', 'secret', 'privateKey', 'private_key',
  'passphrase', 'password', 'signature', 'authorization', 'listenKey',
];
/** Header names that carry credentials or signatures (Coinbase, Kraken, Binance.US, OANDA, generic). */
const SECRET_HEADERS = [
  'authorization', 'proxy-authorization', 'cookie', 'api-key', 'api-sign', 'x-mbx-apikey', 'cb-access-key', 'cb-access-sign',
  'cb-access-passphrase', 'x-api-key',
];

const headerVariants = (h: string) => [...new Set([h, h.toUpperCase(), h.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())])];

export const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  ...SECRET_HEADERS.flatMap(headerVariants).flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`, `*.*.headers["${h}"]`]),
];

const CENSOR = '[redacted]';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const KEYS = [...SECRET_FIELDS, ...SECRET_HEADERS].map(escape).join('|');
/** `"secret":"…"` anywhere in the line (string values; objects are censored whole by the paths) */
const JSON_FIELD = new RegExp(`("(?:${KEYS})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
/** `?token=…` / `&signature=…` in a URL or form body written into a message */
const QUERY_PARAM = new RegExp(`([?&](?:${KEYS}|key|sig)=)[^&\\s"\\\\]+`, 'gi');
/** `Bearer …` / `Basic …` credentials in free text */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g;

/** Censors secrets that sit inside strings of one serialized log line. */
export function scrubLine(line: string): string {
  return line.replace(JSON_FIELD, `$1"${CENSOR}"`).replace(QUERY_PARAM, `$1${CENSOR}`).replace(AUTH_SCHEME, `$1 ${CENSOR}`);
}

interface Target {
  write(line: string): unknown;
  flushSync?(): void;
  end?(): void;
}

const stdoutJson = pino.destination({ dest: 1, sync: false }) as Target;

/** Where the logger writes: every line, scrubbed once, to each target. */
class Fanout {
  targets: Target[] = [stdoutJson];

  write(line: string): void {
    const clean = scrubLine(line);
    for (const t of this.targets) t.write(clean);
  }

  flushSync(): void {
    for (const t of this.targets) {
      try {
        t.flushSync?.();
      } catch {
        // a stream not yet open has nothing to flush
      }
    }
  }
}

const fanout = new Fanout();

export const log = pino(
  {
    level: process.env.PULSE_LOG_LEVEL ?? 'info',
    base: { app: 'pulse' },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
  },
  fanout,
);

export interface LogSetup {
  /** logs go to `<dataDir>/logs/` */
  dataDir: string;
  /** terminal output: auto = pretty on a TTY, JSON lines otherwise */
  terminal?: 'auto' | 'pretty' | 'json' | 'off';
  /** roll the file at this size (pino-roll units: k, m, g) */
  maxFileSize?: string;
  /** rolled files kept besides the current one */
  keepFiles?: number;
}

export interface LogFiles {
  /** the file being written now */
  readonly file: string;
  /** flushes and closes the file; the terminal output stays */
  close(): Promise<void>;
}

/** Sends the logs to the rotating file and the terminal (see the top of this file). */
export async function setupLogging(setup: LogSetup): Promise<LogFiles> {
  const dir = join(setup.dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const { default: pinoRoll } = await import('pino-roll');
  const file = await pinoRoll({
    file: join(dir, 'pulse'),
    extension: '.log',
    dateFormat: 'yyyy-MM-dd',
    frequency: 'daily',
    size: setup.maxFileSize ?? '20m',
    limit: { count: setup.keepFiles ?? 14 },
    mkdir: true,
  });
  if (file.fd < 0) await new Promise<void>((resolve, reject) => file.once('ready', resolve).once('error', reject));
  const mode = setup.terminal ?? 'auto';
  const pretty = mode === 'pretty' || (mode === 'auto' && process.stdout.isTTY === true);
  let terminal: Target | null = null;
  if (pretty) {
    const { default: pinoPretty } = await import('pino-pretty');
    terminal = pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app', destination: 1, sync: true });
  } else if (mode !== 'off') {
    terminal = stdoutJson;
  }
  fanout.targets = terminal ? [file, terminal] : [file];
  process.once('exit', () => fanout.flushSync());
  return {
    file: file.file,
    close: () =>
      new Promise<void>((resolve) => {
        fanout.targets = fanout.targets.filter((t) => t !== file);
        file.once('close', () => resolve());
        file.end();
      }),
  };
}

/** Writes out what the log streams hold (before process.exit). */
export function flushLogs(): void {
  fanout.flushSync();
}

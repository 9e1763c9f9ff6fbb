/**
 * An HTTP response that never ends, carrying newline-delimited JSON (chunked transfer encoding),
 * as a transport for the reconnect loop in ./connection.ts: the same breaker, backoff, watchdog
 * and handlers as a venue WebSocket. Each complete line is one message; a line may arrive split
 * over any number of chunks. A line longer than `maxMessageBytes` drops the connection with
 * OVERSIZE_REASON (as a WebSocket does with close code 1009).
 *
 * A refused request is classified like RestClient does: 429, 408 and 5xx are retried through the
 * breaker; other statuses (401, 403, 404, …) fail with NonRetryableError and the loop stops.
 */
import http from 'node:http';
import https from 'node:https';
import {
  NonRetryableError, OVERSIZE_REASON, ReconnectingConnection,
  type ConnectionHandlers, type Dialer, type ResilienceSettings,
} from './connection';

export interface HttpStreamOptions {
  /** request headers (credentials among them), read on every connect; never logged */
  headers: () => Record<string, string>;
  /** words for a refused request; default `HTTP <status>: <start of the body>` */
  describeRefusal?: (status: number, body: string) => string;
}

/** Most of a refused request's body kept for its error message. */
const ERROR_BODY_BYTES = 2048;

const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Cuts a byte stream into lines (LF or CRLF; empty lines skipped). Cuts happen on the LF byte,
 * which never occurs inside a UTF-8 sequence, so a character split over two chunks stays whole.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Calls `onLine` for each complete line; false (and no more lines) when one is over the limit. */
  push(chunk: Buffer, onLine: (text: string) => void): boolean {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const bytes = this.partBytes + nl - start;
      if (bytes > this.maxLineBytes) return false;
      let end = nl;
      let text: string;
      if (this.partBytes === 0) {
        if (end > start && chunk[end - 1] === 13) end--;
        text = chunk.toString('utf8', start, end);
      } else {
        this.parts.push(chunk.subarray(start, nl));
        const whole = Buffer.concat(this.parts, bytes);
        this.parts = [];
        this.partBytes = 0;
        text = whole.toString('utf8', 0, whole.length > 0 && whole[whole.length - 1] === 13 ? whole.length - 1 : whole.length);
      }
      start = nl + 1;
      if (text.length > 0) onLine(text);
    }
    if (start >= chunk.length) return true;
    const rest = chunk.length - start;
    if (this.partBytes + rest > this.maxLineBytes) return false;
    this.parts.push(Buffer.from(chunk.subarray(start)));
    this.partBytes += rest;
    return true;
  }
}

export function httpLineDialer(url: () => string, settings: ResilienceSettings, opts: HttpStreamOptions): Dialer {
  const max = settings.maxMessageBytes;
  return (events) => {
    const target = new URL(url());
    const client = target.protocol === 'https:' ? https : http;
    let closed = false;
    let any = false;
    let dropReason: string | null = null;
    const close = (reason: string) => {
      if (closed) return;
      closed = true;
      events.onClose(any ? reason : `${reason} before any message`);
    };
    const req = client.get(target, { headers: opts.headers(), agent: false });
    const drop = (reason: string) => {
      dropReason ??= reason;
      req.destroy();
      close(reason);
    };

    const lines = new LineSplitter(max);
    const onData = (chunk: Buffer): void => {
      const ok = lines.push(chunk, (text) => {
        if (closed) return;
        any = true;
        events.onMessage(text);
      });
      if (!ok) drop(OVERSIZE_REASON);
    };

    req.on('response', (res) => {
      if (res.statusCode === 200) {
        events.onOpen();
        res.on('data', onData);
        res.on('end', () => close('stream ended by the server'));
        res.on('error', (err) => close(`connection lost: ${err.message}`));
        res.on('aborted', () => close('connection lost'));
        return;
      }
      const status = res.statusCode ?? 0;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        if (body.length < ERROR_BODY_BYTES) body += text.slice(0, ERROR_BODY_BYTES - body.length);
      });
      res.on('end', () => {
        const words = opts.describeRefusal?.(status, body) ?? `HTTP ${status}: ${body.slice(0, 200)}`;
        events.onError(isRetryableStatus(status) ? new Error(words) : new NonRetryableError(words));
        drop(`HTTP ${status}`);
      });
    });
    req.on('error', (err) => {
      if (dropReason !== null) return;
      if (!any) events.onError(err);
      close(`connection lost: ${err.message}`);
    });
    req.on('close', () => close(dropReason ?? 'connection closed'));

    return {
      send: () => {},
      terminate: (reason) => drop(reason),
    };
  };
}

/** A never-ending HTTP response of JSON lines, kept alive like a venue WebSocket. */
export class HttpStreamConnection extends ReconnectingConnection {
  constructor(name: string, url: () => string, settings: ResilienceSettings, handlers: ConnectionHandlers, opts: HttpStreamOptions) {
    super(name, httpLineDialer(url, settings, opts), settings, handlers);
  }
}

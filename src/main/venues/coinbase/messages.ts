// Coinbase Advanced Trade WebSocket messages: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/**
 * Hand validation of the hot-path messages (zod costs more per message than JSON.parse itself).
 * Every message but an error carries the envelope
 *   { channel, client_id, timestamp: RFC 3339 with ns, sequence_num: per-connection counter, events: [...] }
 * and l2_data events are { type: 'snapshot'|'update', product_id, updates: [{ side: 'bid'|'offer',
 * event_time, price_level, new_quantity }] } where new_quantity is the level's new size ("0" removes it).
 */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The channel names Coinbase puts on the messages of each subscription. */
export const Channel = {
  L2: 'l2_data',
  Trades: 'market_trades',
  Heartbeats: 'heartbeats',
  Subscriptions: 'subscriptions',
} as const;

/** What the client sends: one subscribe per channel (the venue takes one channel per message). */
export function subscribeMessage(channel: 'level2' | 'market_trades' | 'heartbeats', productIds: string[]): string {
  return JSON.stringify({ type: 'subscribe', product_ids: productIds, channel });
}

const POW10 = Array.from({ length: 19 }, (_, i) => 10 ** i);

/**
 * An exact non-negative decimal string as an integer count of `step` units of 10^-decimals
 * (the grammar of parsePrice/parseQty in shared/instruments, without the sign). NaN when it is
 * malformed, negative, has more significant decimals than `decimals`, is off the step grid, or
 * is too large to be exact in a double. No floats, no regex: this runs for every level.
 */
export function parseSteps(text: unknown, decimals: number, step: number): number {
  if (typeof text !== 'string') return NaN;
  const n = text.length;
  if (n === 0 || n > 64) return NaN;
  let whole = 0;
  let i = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57) return NaN;
    whole = whole * 10 + (c - 48);
    digits++;
  }
  let frac = 0;
  let fracDigits = 0;
  if (i < n) {
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return NaN;
      digits++;
      if (fracDigits < decimals) {
        frac = frac * 10 + (c - 48);
        fracDigits++;
      } else if (c !== 48) {
        return NaN;
      }
    }
  }
  if (digits === 0) return NaN;
  const units = whole * POW10[decimals]! + frac * POW10[decimals - fracDigits]!;
  if (!Number.isSafeInteger(units) || units % step !== 0) return NaN;
  return units / step;
}

/**
 * RFC 3339 (as Coinbase writes it: "2023-02-09T20:32:50.714964855Z") to integer microseconds
 * since the epoch, exactly: the fraction is read as digits, not through Date.parse (which keeps
 * milliseconds only). NaN when it is not such a timestamp. Messages of the same second reuse the
 * whole seconds of the previous one, so the common case reads only the fraction's digits.
 */
export function parseTimestampMicros(text: unknown): number {
  if (typeof text !== 'string') return NaN;
  const n = text.length;
  if (n > 20 && n <= 30 && cachedSecond !== '' && text.charCodeAt(19) === 46 && text.charCodeAt(n - 1) === 90 && text.startsWith(cachedSecond)) {
    let frac = 0;
    let digits = 0;
    for (let i = 20; i < n - 1; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      if (digits < 6) frac = frac * 10 + c;
      digits++;
    }
    if (digits === 0 || digits > 9) return NaN;
    return cachedMicros + frac * POW10[6 - Math.min(digits, 6)]!;
  }
  return parseTimestampSlow(text);
}

let cachedSecond = '';
let cachedMicros = 0;
const TS = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;

function parseTimestampSlow(text: string): number {
  const m = TS.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, frac = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return NaN;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (zone === 'Z') {
    cachedSecond = text.slice(0, 19);
    cachedMicros = ms * 1000;
  } else if (zone !== 'z') {
    const sign = zone![0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(-2))) * 60_000;
  }
  return ms * 1000 + Number(frac.slice(0, 6).padEnd(6, '0'));
}

/** The envelope fields every non-error message carries. */
export interface Envelope {
  channel: string;
  seq: number;
  events: unknown[];
  /** the message's `timestamp` in µs, NaN when absent or malformed */
  tsMicros: number;
}

export const emptyEnvelope = (): Envelope => ({ channel: '', seq: -1, events: [], tsMicros: NaN });

/** Fills `out` (reused: one fewer allocation per message) from `msg`; a string says what is wrong. */
export function readEnvelope(msg: Json, out: Envelope): string | null {
  const channel = msg.channel;
  if (typeof channel !== 'string') return 'message without a channel';
  const seq = msg.sequence_num;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return `${channel} message with sequence_num ${JSON.stringify(seq)}`;
  const events = msg.events;
  if (!Array.isArray(events)) return `${channel} message #${seq} without an events array`;
  out.channel = channel;
  out.seq = seq;
  out.events = events;
  out.tsMicros = parseTimestampMicros(msg.timestamp);
  return null;
}

/** l2_data side → book side: 0 bid, 1 ask; -1 for anything else. */
export function bookSide(side: unknown): -1 | 0 | 1 {
  return side === 'bid' ? 0 : side === 'offer' ? 1 : -1;
}

/** A short, single-line preview of a message for a log line. */
export function preview(text: string, max = 120): string {
  const flat = text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
  return flat.replace(/\s+/g, ' ');
}

/**
 * A protocol-true OANDA v20 mock on 127.0.0.1 (HTTP, node:http), from the public docs:
 *   GET /v3/accounts/{id}/instruments      https://developer.oanda.com/rest-live-v20/account-ep/
 *   GET /v3/accounts/{id}/pricing/stream   https://developer.oanda.com/rest-live-v20/pricing-ep/
 * Bearer token checked on both; the stream is chunked JSON lines: on connect one PRICE per
 * instrument (snapshot=true), then a PRICE (the instrument's whole book) on every change and a
 * HEARTBEAT every `heartbeatMs`. It keeps its own reference books and every book state it sent,
 * and has a switch for each fault the tests inject.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

type Level = [ticks: number, liquidity: number];
interface Inst {
  name: string;
  /** displayPrecision, tradeUnitsPrecision */
  dp: number;
  tup: number;
  mid: number;
  bids: Level[];
  asks: Level[];
  closed: boolean;
  /** the last lines sent for it, newest last */
  sent: string[];
  /** every book state it sent (the only states a live engine book may show) */
  history: Set<string>;
}
interface Stream {
  res: http.ServerResponse;
  names: Set<string>;
  holding: boolean;
  queue: string[];
}

export interface MockOptions {
  token?: string;
  accountId?: string;
  seed?: number;
  /** ms between generated PRICEs (each tick emits `burst` of them) */
  intervalMs?: number;
  burst?: number;
  heartbeatMs?: number;
}

const LIQUIDITY = [250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000];
const START_MID: Record<string, number> = { EUR_USD: 110_000, GBP_USD: 125_000, USD_JPY: 150_000, XAU_USD: 2_300_000, DE30_EUR: 180_000 };
export const INSTRUMENTS_JSON = readFileSync(new URL('../test_data/instruments.json', import.meta.url), 'utf8');
const UNAUTHORIZED = readFileSync(new URL('../test_data/error-401.json', import.meta.url), 'utf8');

export function formatTicks(ticks: number, dp: number): string {
  if (dp === 0) return String(ticks);
  const s = String(ticks).padStart(dp + 1, '0');
  return `${s.slice(0, -dp)}.${s.slice(-dp)}`;
}

export class OandaMock {
  readonly token: string;
  readonly accountId: string;
  url = '';
  streamRequests = 0;
  restRequests = 0;
  readonly insts = new Map<string, Inst>();
  private readonly streams = new Set<Stream>();
  private readonly server: http.Server;
  private rng: () => number;
  private lastMicros = 0;
  private gen: NodeJS.Timeout | undefined;
  private beat: NodeJS.Timeout | undefined;
  private paused = false;
  private silent = false;
  private skipping = 0;
  private splitNext = false;
  private instrumentFailures = 0;
  private rejectStream = false;
  private rejectRest = false;

  private constructor(private readonly opts: MockOptions) {
    this.token = opts.token ?? 'test-token-3f9a';
    this.accountId = opts.accountId ?? '101-004-1234567-001';
    let a = opts.seed ?? 7;
    this.rng = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (const raw of (JSON.parse(INSTRUMENTS_JSON) as { instruments: Array<{ name: string; displayPrecision: number; tradeUnitsPrecision: number }> }).instruments) {
      const inst: Inst = { name: raw.name, dp: raw.displayPrecision, tup: raw.tradeUnitsPrecision, mid: START_MID[raw.name] ?? 100_000, bids: [], asks: [], closed: false, sent: [], history: new Set() };
      this.rebuild(inst);
      this.insts.set(raw.name, inst);
      this.record(inst, this.priceLine(inst));
    }
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  static async start(opts: MockOptions = {}): Promise<OandaMock> {
    const mock = new OandaMock(opts);
    await new Promise<void>((resolve) => mock.server.listen(0, '127.0.0.1', resolve));
    mock.url = `http://127.0.0.1:${(mock.server.address() as AddressInfo).port}`;
    mock.gen = setInterval(() => mock.generate(), opts.intervalMs ?? 5);
    mock.beat = setInterval(() => mock.broadcast(`{"type":"HEARTBEAT","time":"${mock.time()}"}`), opts.heartbeatMs ?? 200);
    return mock;
  }

  /** The reference book as the engine's REST API shows it: [price, size] decimal strings, best first. */
  book(name: string): { bids: [string, string][]; asks: [string, string][] } {
    const i = this.inst(name);
    const side = (levels: Level[]) => levels.map(([p, q]): [string, string] => [formatTicks(p, i.dp), formatTicks(q * 10 ** i.tup, i.tup)]);
    return { bids: side(i.bids), asks: side(i.asks) };
  }

  sentBefore(name: string, book: { bids: [string, string][]; asks: [string, string][] }): boolean {
    return this.inst(name).history.has(JSON.stringify([book.bids, book.asks]));
  }

  get openStreams(): number {
    return this.streams.size;
  }

  // Fault switches.
  pause(): void { this.paused = true; }
  resume(): void { this.paused = false; }
  /** no bytes at all, heartbeats included; new streams get headers and then nothing */
  silence(on: boolean): void { this.silent = on; }
  failInstruments(times: number): void { this.instrumentFailures = times; }
  rejectToken(where: { stream?: boolean; rest?: boolean }): void {
    this.rejectStream = where.stream ?? false;
    this.rejectRest = where.rest ?? false;
  }
  /** the next `n` PRICEs change the books but are never sent */
  skip(n: number): void { this.skipping = n; }
  /** the next PRICE goes out in two chunks, 30 ms apart, cut mid-line */
  splitNextLine(): void { this.splitNext = true; }
  /** connections reset mid-stream */
  dropStreams(): void { for (const s of this.streams) s.res.socket?.destroy(); }
  /** the server ends each response cleanly */
  endStreams(): void { for (const s of this.streams) s.res.end(); }
  sendRaw(line: string): void { this.broadcast(line); }
  /** re-sends the PRICE of `name` before its latest (out of order), then its latest again (a duplicate) */
  replayOld(name: string): void {
    const i = this.inst(name);
    this.broadcast(i.sent[i.sent.length - 2]!, name);
    this.broadcast(i.sent[i.sent.length - 1]!, name);
  }
  /** one more change of `name`, sent now */
  emitOne(name: string): void {
    const i = this.inst(name);
    this.mutate(i);
    this.record(i, this.priceLine(i));
    this.broadcast(i.sent.at(-1)!, name);
  }
  /** the market closes (a PRICE with tradeable:false, then no changes) or opens again */
  setTradeable(name: string, on: boolean): void {
    const i = this.inst(name);
    i.closed = !on;
    if (on) this.mutate(i);
    this.record(i, this.priceLine(i));
    this.broadcast(i.sent[i.sent.length - 1]!, name);
  }

  async close(): Promise<void> {
    clearInterval(this.gen);
    clearInterval(this.beat);
    for (const s of this.streams) s.res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private inst(name: string): Inst {
    const i = this.insts.get(name);
    if (!i) throw new Error(`mock has no instrument ${name}`);
    return i;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://mock');
    const authorized = req.headers.authorization === `Bearer ${this.token}`;
    const prefix = `/v3/accounts/${this.accountId}`;
    const json = (status: number, body: string): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
    };
    if (url.pathname === `${prefix}/instruments`) {
      this.restRequests++;
      if (!authorized || this.rejectRest) return json(401, UNAUTHORIZED);
      if (this.instrumentFailures > 0) {
        this.instrumentFailures--;
        return json(503, '{"errorMessage":"Service temporarily unavailable"}');
      }
      return json(200, INSTRUMENTS_JSON);
    }
    if (url.pathname === `${prefix}/pricing/stream`) {
      this.streamRequests++;
      if (!authorized || this.rejectStream) return json(401, UNAUTHORIZED);
      const names = new Set((url.searchParams.get('instruments') ?? '').split(',').filter((n) => this.insts.has(n)));
      if (names.size === 0) return json(400, '{"errorMessage":"Invalid value specified for \'instruments\'"}');
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.flushHeaders();
      const s: Stream = { res, names, holding: false, queue: [] };
      this.streams.add(s);
      res.on('close', () => this.streams.delete(s));
      if (this.silent) return;
      for (const n of names) {
        const i = this.inst(n);
        const b = this.book(n);
        if (!i.closed) i.history.add(JSON.stringify([b.bids, b.asks]));
        this.write(s, i.sent.at(-1)!);
      }
      return;
    }
    json(404, '{"errorMessage":"no such endpoint"}');
  }

  private generate(): void {
    if (this.paused || this.silent) return;
    for (let k = 0; k < (this.opts.burst ?? 1); k++) {
      const open = [...this.insts.values()].filter((i) => !i.closed);
      if (open.length === 0) return;
      const i = open[Math.floor(this.rng() * open.length)]!;
      if (this.skipping > 0) {
        this.skipping--;
        this.mutate(i);
        this.record(i, this.priceLine(i), false);
      } else {
        this.emitOne(i.name);
      }
    }
  }

  /** A realistic change: mostly one bucket's liquidity, sometimes the price moves, sometimes depth. */
  private mutate(i: Inst): void {
    const r = this.rng();
    const side = this.rng() < 0.5 ? i.bids : i.asks;
    if (r < 0.5 && side.length > 0) {
      const level = side[Math.floor(this.rng() * side.length)]!;
      level[1] = LIQUIDITY[Math.floor(this.rng() * LIQUIDITY.length)]!;
    } else if (r < 0.8) {
      i.mid += Math.floor(this.rng() * 7) - 3;
      this.rebuild(i);
    } else if (side.length > 1 && this.rng() < 0.5) {
      side.pop();
    } else {
      const last = side[side.length - 1]!;
      const step = 1 + Math.floor(this.rng() * 4);
      side.push([side === i.bids ? last[0] - step : last[0] + step, LIQUIDITY[Math.min(side.length + 1, LIQUIDITY.length - 1)]!]);
    }
  }

  private rebuild(i: Inst): void {
    const spread = 6 + Math.floor(this.rng() * 14);
    const depth = () => 1 + Math.floor(this.rng() * 4);
    const side = (start: number, dir: number, n: number): Level[] => {
      const out: Level[] = [];
      for (let k = 0, p = start; k < n; k++, p += dir * (1 + Math.floor(this.rng() * 4))) out.push([p, LIQUIDITY[Math.min(k + Math.floor(this.rng() * 2), LIQUIDITY.length - 1)]!]);
      return out;
    };
    i.bids = side(i.mid - Math.floor(spread / 2), -1, depth());
    i.asks = side(i.mid + Math.ceil(spread / 2), 1, depth());
  }

  private priceLine(i: Inst): string {
    const bucket = ([p, q]: Level) => ({ price: formatTicks(p, i.dp), liquidity: q });
    return JSON.stringify({
      type: 'PRICE', time: this.time(), bids: i.bids.map(bucket), asks: i.asks.map(bucket),
      closeoutBid: formatTicks(i.bids.at(-1)![0], i.dp), closeoutAsk: formatTicks(i.asks.at(-1)![0], i.dp),
      status: i.closed ? 'non-tradeable' : 'tradeable', tradeable: !i.closed, instrument: i.name,
    });
  }

  private record(i: Inst, line: string, sent = true): void {
    i.sent.push(line);
    if (i.sent.length > 3) i.sent.shift();
    const b = this.book(i.name);
    if (sent && !i.closed && !this.silent) i.history.add(JSON.stringify([b.bids, b.asks]));
  }

  /** RFC 3339 with nanoseconds, strictly increasing. */
  private time(): string {
    const us = Math.max(Math.floor((performance.timeOrigin + performance.now()) * 1000), this.lastMicros + 1);
    this.lastMicros = us;
    const iso = new Date(Math.floor(us / 1_000_000) * 1000).toISOString().slice(0, 19);
    return `${iso}.${String(us % 1_000_000).padStart(6, '0')}${String(us % 997).padStart(3, '0')}Z`;
  }

  private broadcast(line: string, name?: string): void {
    if (this.silent) return;
    const split = this.splitNext && name !== undefined;
    if (split) this.splitNext = false;
    for (const s of this.streams) {
      if (name !== undefined && !s.names.has(name)) continue;
      if (split) this.writeSplit(s, line);
      else this.write(s, line);
    }
  }

  private write(s: Stream, line: string): void {
    if (s.holding) s.queue.push(line);
    else s.res.write(`${line}\n`);
  }

  private writeSplit(s: Stream, line: string): void {
    if (s.holding) return this.write(s, line);
    const cut = Math.floor(line.length / 2);
    s.res.write(line.slice(0, cut));
    s.holding = true;
    setTimeout(() => {
      s.holding = false;
      if (s.res.writableEnded || s.res.destroyed) return;
      s.res.write(`${line.slice(cut)}\n`);
      for (const q of s.queue.splice(0)) s.res.write(`${q}\n`);
    }, 30);
  }
}

/**
 * A protocol-true Binance.US on 127.0.0.1 (one port for REST and WebSocket), built from the public
 * docs: GET /api/v3/exchangeInfo and /api/v3/depth, streams at `/ws` (+ SUBSCRIBE / result null),
 * `/ws/<stream>` and `/stream?streams=a/b` (wrapped `{"stream","data"}`), pongs to client pings.
 * It keeps a reference book per symbol, streams diff depth and trades, and has switches for faults.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 *       https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEPTH_LIMITS } from '../settings';
import { MOCK_INSTRUMENTS, MockBook, rng, type DepthEvent, type MockInstrument } from './mock-book';

interface Client {
  ws: WebSocket;
  streams: Set<string>;
  combined: boolean;
}

/** A REST answer to give instead of the real one. */
export interface RestFault {
  status: number;
  body: unknown;
  retryAfterSeconds?: number;
}

export interface MockOptions {
  instruments?: MockInstrument[];
  /** ms between diff events of each symbol (Binance: 100) */
  tickMs?: number;
  seed?: number;
}

export class MockBinanceUs {
  readonly books = new Map<string, MockBook>();
  readonly clients = new Set<Client>();
  paused = false;
  /** accept sockets but say nothing, answer no SUBSCRIBE and no ping */
  silent = false;
  /** the next n diff events of a symbol are not sent (a gap), duplicated, or held back behind the next one */
  readonly skip = new Map<string, number>();
  readonly duplicate = new Set<string>();
  readonly swap = new Set<string>();
  /** the next diff event of a symbol goes out rewritten by this function (garbage, truncation) */
  readonly corrupt = new Map<string, (ev: DepthEvent) => string>();
  /** the next depth snapshot of a symbol is this old one */
  readonly oldSnapshots = new Map<string, ReturnType<MockBook['snapshot']>>();
  /** answers for the next depth requests, in order */
  readonly depthFaults: RestFault[] = [];
  /** every depth request: when, which symbol, the status answered */
  readonly depthRequests: { at: number; symbol: string; status: number }[] = [];
  exchangeInfoRequests = 0;
  /** IP ban end (epoch ms): every REST request before it gets 418 */
  bannedUntil = 0;
  private held = new Map<string, string>();
  private readonly rand: () => number;
  private timer: NodeJS.Timeout;
  private readonly wss: WebSocketServer;

  private constructor(private readonly server: Server, readonly instruments: MockInstrument[], tickMs: number, seed: number) {
    this.rand = rng(seed);
    for (const inst of instruments) if ((inst.status ?? 'TRADING') === 'TRADING') this.books.set(inst.venueSymbol, new MockBook(inst, this.rand));
    // autoPong off: pongs are sent by hand, so a silent venue answers no ping either.
    this.wss = new WebSocketServer({ server, autoPong: false });
    this.wss.on('connection', (ws, req) => this.accept(ws, req));
    server.on('request', (req, res) => this.rest(req, res));
    this.timer = setInterval(() => this.tick(), tickMs);
  }

  static async start(opts: MockOptions = {}): Promise<MockBinanceUs> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new MockBinanceUs(server, opts.instruments ?? MOCK_INSTRUMENTS, opts.tickMs ?? 20, opts.seed ?? 7);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  book(venueSymbol: string): MockBook {
    return this.books.get(venueSymbol)!;
  }

  /** drops every client socket, as a venue restart or network cut would */
  dropConnections(): void {
    for (const c of this.clients) c.ws.terminate();
  }

  /** text as-is to every client (malformed, unknown, huge messages) */
  sendRaw(text: string): void {
    for (const c of this.clients) c.ws.send(text);
  }

  /** one event of `stream` to its subscribers, wrapped for combined clients */
  broadcast(stream: string, payload: string): void {
    for (const c of this.clients) {
      if (c.streams.has(stream)) c.ws.send(c.combined ? `{"stream":"${stream}","data":${payload}}` : payload);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.clients) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private tick(): void {
    if (this.paused) return;
    for (const [sym, book] of this.books) {
      const lower = sym.toLowerCase();
      const trade = this.rand() < 0.3 ? book.trade() : null;
      if (trade && !this.silent) this.broadcast(`${lower}@trade`, JSON.stringify(trade));
      this.depth(sym, `${lower}@depth@100ms`, book.step());
    }
  }

  private depth(sym: string, stream: string, ev: DepthEvent): void {
    if (this.silent) return;
    const skip = this.skip.get(sym) ?? 0;
    if (skip > 0) {
      this.skip.set(sym, skip - 1);
      return;
    }
    const corrupt = this.corrupt.get(sym);
    this.corrupt.delete(sym);
    const text = corrupt ? corrupt(ev) : JSON.stringify(ev);
    if (this.swap.delete(sym)) {
      this.held.set(sym, text);
      return;
    }
    this.broadcast(stream, text);
    if (this.duplicate.delete(sym)) this.broadcast(stream, text);
    const held = this.held.get(sym);
    if (held !== undefined) {
      this.held.delete(sym);
      this.broadcast(stream, held);
    }
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const client: Client = { ws, streams: new Set(), combined: url.pathname.startsWith('/stream') };
    if (url.pathname.startsWith('/ws/')) client.streams.add(url.pathname.slice(4));
    for (const s of url.searchParams.get('streams')?.split('/') ?? []) if (s) client.streams.add(s);
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => {});
    ws.on('ping', (data) => {
      if (!this.silent) ws.pong(data);
    });
    ws.on('message', (data) => {
      if (this.silent) return;
      let req: { method?: unknown; params?: unknown; id?: unknown };
      try {
        req = JSON.parse(data.toString());
      } catch {
        ws.send(JSON.stringify({ code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }));
        return;
      }
      if (req.method === 'SUBSCRIBE' && Array.isArray(req.params)) {
        for (const p of req.params) client.streams.add(String(p));
        ws.send(JSON.stringify({ result: null, id: req.id }));
      } else if (req.method === 'LIST_SUBSCRIPTIONS') {
        ws.send(JSON.stringify({ result: [...client.streams], id: req.id }));
      } else {
        ws.send(JSON.stringify({ code: 2, msg: `Invalid request: unknown variant ${String(req.method)}`, id: req.id ?? null }));
      }
    });
  }

  private rest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (Date.now() < this.bannedUntil) {
      if (url.pathname === '/api/v3/depth') this.depthRequests.push({ at: Date.now(), symbol: url.searchParams.get('symbol') ?? '', status: 418 });
      return send(418, { code: -1003, msg: `Way too many requests; IP banned until ${this.bannedUntil}. Please use the websocket for live updates to avoid bans.` }, { 'retry-after': String(Math.ceil((this.bannedUntil - Date.now()) / 1000)) });
    }
    if (url.pathname === '/api/v3/exchangeInfo') {
      this.exchangeInfoRequests++;
      return send(200, exchangeInfo(this.instruments));
    }
    if (url.pathname === '/api/v3/depth') {
      const symbol = url.searchParams.get('symbol') ?? '';
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const fault = this.depthFaults.shift();
      this.depthRequests.push({ at: Date.now(), symbol, status: fault?.status ?? 200 });
      if (fault) return send(fault.status, fault.body, fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
      const book = this.books.get(symbol);
      if (!book) return send(400, { code: -1121, msg: 'Invalid symbol.' });
      if (!(DEPTH_LIMITS as readonly number[]).includes(limit)) return send(400, { code: -1100, msg: "Illegal characters found in parameter 'limit'; legal range is '5, 10, 20, 50, 100, 500, 1000, 5000'." });
      const old = this.oldSnapshots.get(symbol);
      this.oldSnapshots.delete(symbol);
      return send(200, old ?? book.snapshot(limit));
    }
    send(404, { code: -1000, msg: `no such endpoint ${url.pathname}` });
  }
}

export const internalError = (): RestFault => ({ status: 500, body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' } });
export const tooManyRequests = (retryAfterSeconds = 1): RestFault => ({
  status: 429,
  retryAfterSeconds,
  body: { code: -1003, msg: 'Too many requests; current limit is 1200 request weight per 1 MINUTE. Please use the websocket for live updates to avoid polling the API.' },
});

function exchangeInfo(instruments: MockInstrument[]) {
  return {
    timezone: 'UTC',
    serverTime: Date.now(),
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 1200 }],
    exchangeFilters: [],
    symbols: instruments.map((i) => ({
      symbol: i.venueSymbol, status: i.status ?? 'TRADING', baseAsset: i.base, baseAssetPrecision: 8, quoteAsset: i.quote, quotePrecision: 4, quoteAssetPrecision: 4,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'], icebergAllowed: true, ocoAllowed: true, isSpotTradingAllowed: true, isMarginTradingAllowed: false,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: i.tickSize, maxPrice: '1000000.00000000', tickSize: i.tickSize },
        { filterType: 'LOT_SIZE', minQty: i.stepSize, maxQty: '9000.00000000', stepSize: i.stepSize },
      ],
      permissions: ['SPOT'],
    })),
  };
}

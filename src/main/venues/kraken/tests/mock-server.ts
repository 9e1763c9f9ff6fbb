// A protocol-true Kraken on 127.0.0.1 for tests: REST GET /0/public/AssetPairs
// (https://docs.kraken.com/api/docs/rest-api/get-tradable-asset-pairs) and WebSocket v2
// (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book): status on connect,
// subscribe/unsubscribe acks and errors, book snapshot + updates with checksums, trades,
// heartbeats, ping/pong. Keeps its own reference books; every fault has a switch.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { WebSocketServer, type WebSocket } from 'ws';
import { BookView, MockBook, bookMessage, clock, rng, tradeMessage, viewKey, type Level, type MockPair } from './mock-book';

const ASSET_PAIRS = readFileSync(new URL('../test_data/asset-pairs.json', import.meta.url), 'utf8');

export const MOCK_PAIRS: Record<string, MockPair> = {
  'BTC/USD': { wsSymbol: 'BTC/USD', pricePrecision: 1, qtyPrecision: 8, tickUnits: 1, mid: 652_345 },
  'ETH/USD': { wsSymbol: 'ETH/USD', pricePrecision: 2, qtyPrecision: 8, tickUnits: 1, mid: 318_750 },
  'SOL/USD': { wsSymbol: 'SOL/USD', pricePrecision: 2, qtyPrecision: 8, tickUnits: 1, mid: 14_520 },
};

export interface MockOptions {
  symbols?: string[];
  updatesPerSecond?: number;
  heartbeatMs?: number;
  seed?: number;
  /** how long after a book subscribe its snapshot comes (Kraken takes a moment too) */
  snapshotDelayMs?: number;
}

interface Client {
  ws: WebSocket;
  books: Map<string, BookView>;
  trades: Set<string>;
}

const REST_FAILURES: Array<[number, string]> = [
  [503, 'Service Unavailable'],
  [200, '{"error":["EService:Unavailable"]}'],
  [500, 'Internal Server Error'],
  [429, 'Too Many Requests'],
  [200, '{"error":["EService:Busy"]}'],
];

export class KrakenMock {
  readonly books = new Map<string, MockBook>();
  readonly clients = new Set<Client>();
  /** every view a subscriber was sent, per symbol: a live engine book must be one of them */
  readonly history = new Map<string, Set<string>>();
  readonly stats = { connections: 0, restCalls: 0, subscribes: 0, unsubscribes: 0 };
  private readonly lastSent = new Map<string, string>();
  private restFailures = 0;
  private silent = false;
  private paused = false;
  private badChecksumNext = new Set<string>();
  private readonly timestamp = clock();
  private tradeId = 1000;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly wss: WebSocketServer;

  private constructor(private readonly http: Server, private readonly opts: Required<MockOptions>) {
    const random = rng(opts.seed);
    for (const s of opts.symbols) this.books.set(s, new MockBook(MOCK_PAIRS[s]!, random));
    for (const s of opts.symbols) this.history.set(s, new Set());
    http.on('request', (req, res) => {
      this.stats.restCalls++;
      if (req.url?.split('?')[0] !== '/0/public/AssetPairs') return void res.writeHead(404).end('{"error":["EGeneral:Unknown method"]}');
      if (this.restFailures > 0) {
        const [status, body] = REST_FAILURES[this.restFailures-- % REST_FAILURES.length]!;
        return void res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(ASSET_PAIRS);
    });
    this.wss = new WebSocketServer({ server: http, path: '/v2' });
    this.wss.on('connection', (ws) => this.onConnection(ws));
    let last = performance.now();
    let owed = 0;
    const symbols = [...this.books.keys()];
    this.timers.push(setInterval(() => {
      const now = performance.now();
      owed += ((now - last) / 1000) * opts.updatesPerSecond;
      last = now;
      if (this.paused || this.silent) return void (owed = 0);
      for (; owed >= 1; owed--) this.step(symbols[Math.floor(random() * symbols.length)]!, random);
    }, 10));
    this.timers.push(setInterval(() => {
      for (const c of this.clients) if (c.books.size + c.trades.size > 0) this.send(c, '{"channel":"heartbeat"}');
    }, opts.heartbeatMs));
  }

  static start(options: MockOptions = {}): Promise<KrakenMock> {
    const opts = { symbols: ['BTC/USD', 'ETH/USD'], updatesPerSecond: 100, heartbeatMs: 250, seed: 7, snapshotDelayMs: 0, ...options };
    const http = createServer();
    return new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(new KrakenMock(http, opts))));
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/v2`;
  }
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }

  /** The book a subscriber of `depth` must hold now, as the engine's REST API writes it. */
  expected(symbol: string, depth: number): { bids: [string, string][]; asks: [string, string][] } {
    const book = this.books.get(symbol)!;
    const view = new BookView(depth);
    view.snapshot(book);
    return view.formatted(book);
  }

  // ---- faults ----
  failRest(times: number): void {
    this.restFailures = times;
  }
  dropConnections(): void {
    for (const c of this.clients) c.ws.terminate();
  }
  /** Silent: says nothing to anyone (no heartbeat, no reply, no data) and ignores requests. */
  silence(on: boolean): void {
    this.silent = on;
  }
  sendRaw(text: string): void {
    for (const c of this.clients) this.send(c, text);
  }
  /** A change at the best bid is lost on the way; the next update (best ask) carries a checksum that includes it. */
  gap(symbol: string): void {
    const book = this.books.get(symbol)!;
    this.bump(book, 0);
    for (const c of this.clients) if (c.books.get(symbol)?.ready) c.books.get(symbol)!.diff(book);
    this.bump(book, 1);
    this.publish(symbol);
  }
  badChecksum(symbol: string): void {
    this.badChecksumNext.add(symbol);
    this.bump(this.books.get(symbol)!, 0);
    this.publish(symbol);
  }
  /** Two updates (best bid, then best ask) sent in the wrong order. */
  outOfOrder(symbol: string): void {
    const book = this.books.get(symbol)!;
    const held = new Map<Client, string>();
    this.bump(book, 0);
    for (const c of this.clients) if (c.books.get(symbol)?.ready) held.set(c, this.updateText(symbol, c.books.get(symbol)!.diff(book)));
    this.bump(book, 1);
    this.publish(symbol);
    for (const [c, text] of held) this.send(c, text);
  }
  duplicate(symbol: string): void {
    const text = this.lastSent.get(symbol);
    if (text) this.sendRaw(text);
  }
  /** A real level far from the touch, sent to subscribers whose depth does not reach it. */
  beyondDepth(symbol: string): void {
    const book = this.books.get(symbol)!;
    const price = book.sorted(0).at(-1)![0] - 3 * book.pair.tickUnits;
    const qty = book.size();
    book.set(0, price, qty);
    for (const c of this.clients) {
      const view = c.books.get(symbol);
      if (!view?.ready) continue;
      const diff = view.diff(book);
      diff[0].push([price, qty]);
      this.send(c, this.updateText(symbol, diff), symbol, view);
    }
  }
  snapshotAgain(symbol: string): void {
    for (const c of this.clients) {
      const view = c.books.get(symbol);
      if (view?.ready) this.sendSnapshot(c, symbol, view);
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.clients) c.ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  // ---- protocol ----
  private onConnection(ws: WebSocket): void {
    this.stats.connections++;
    const c: Client = { ws, books: new Map(), trades: new Set() };
    this.clients.add(c);
    ws.on('close', () => this.clients.delete(c));
    ws.on('message', (data) => this.onRequest(c, data.toString()));
    this.send(c, JSON.stringify({ channel: 'status', type: 'update', data: [{ version: '2.0.0', system: 'online', api_version: 'v2', connection_id: 1000 + this.stats.connections }] }));
  }

  private onRequest(c: Client, text: string): void {
    if (this.silent) return;
    let req: { method?: string; req_id?: number; params?: { channel?: string; symbol?: string[]; depth?: number } };
    try {
      req = JSON.parse(text);
    } catch {
      return this.send(c, JSON.stringify({ error: 'Malformed request', success: false, ...this.times() }));
    }
    if (req.method === 'ping') return this.send(c, JSON.stringify({ method: 'pong', req_id: req.req_id, ...this.times() }));
    const { channel, symbol: symbols = [], depth = 10 } = req.params ?? {};
    for (const symbol of symbols) {
      const reply = (extra: object) => this.send(c, JSON.stringify({ method: req.method, ...extra, ...this.times() }));
      const book = this.books.get(symbol);
      if (!book) {
        reply({ error: 'Currency pair not supported', success: false, symbol });
        continue;
      }
      const subs = channel === 'book' ? c.books : c.trades;
      if (req.method === 'subscribe') {
        if (subs.has(symbol)) {
          reply({ error: 'Already subscribed', success: false, symbol });
          continue;
        }
        this.stats.subscribes++;
        if (channel === 'book') {
          const view = new BookView(depth);
          c.books.set(symbol, view);
          reply({ result: { channel, depth, snapshot: true, symbol }, success: true });
          const send = () => c.books.get(symbol) === view && this.sendSnapshot(c, symbol, view);
          if (this.opts.snapshotDelayMs > 0) this.timers.push(setTimeout(send, this.opts.snapshotDelayMs));
          else send();
        } else {
          c.trades.add(symbol);
          reply({ result: { channel, snapshot: false, symbol }, success: true });
        }
      } else if (req.method === 'unsubscribe') {
        this.stats.unsubscribes++;
        if (!(channel === 'book' ? c.books.delete(symbol) : c.trades.delete(symbol))) reply({ error: 'Subscription Not Found', success: false, symbol });
        else reply({ result: { channel, symbol, ...(channel === 'book' ? { depth } : {}) }, success: true });
      }
    }
  }

  private step(symbol: string, random: () => number): void {
    const book = this.books.get(symbol)!;
    const events = 1 + Math.floor(random() * 3);
    for (let i = 0; i < events; i++) {
      const trade = book.mutate();
      if (!trade) continue;
      const text = tradeMessage(book, trade, this.tradeId++, this.timestamp());
      for (const c of this.clients) if (c.trades.has(symbol)) this.send(c, text);
    }
    this.publish(symbol);
  }

  private bump(book: MockBook, side: 0 | 1): void {
    const [price, qty] = book.sorted(side, 1)[0]!;
    book.set(side, price, qty + 1);
  }

  /** Sends each book subscriber what changed in its scope (nothing when nothing did). */
  private publish(symbol: string): void {
    const book = this.books.get(symbol)!;
    for (const c of this.clients) {
      const view = c.books.get(symbol);
      if (!view?.ready) continue;
      const diff = view.diff(book);
      if (diff[0].length + diff[1].length > 0) this.send(c, this.updateText(symbol, diff), symbol, view);
    }
  }

  private updateText(symbol: string, levels: [Level[], Level[]]): string {
    const book = this.books.get(symbol)!;
    let checksum = book.checksum();
    if (this.badChecksumNext.delete(symbol)) checksum = (checksum ^ 0x5a5a) >>> 0;
    return bookMessage('update', book, levels, checksum, this.timestamp());
  }

  private sendSnapshot(c: Client, symbol: string, view: BookView): void {
    const book = this.books.get(symbol)!;
    this.send(c, bookMessage('snapshot', book, view.snapshot(book), book.checksum(), this.timestamp()), symbol, view);
  }

  private send(c: Client, text: string, symbol?: string, view?: BookView): void {
    if (this.silent || c.ws.readyState !== c.ws.OPEN) return;
    c.ws.send(text);
    if (symbol && view) {
      this.lastSent.set(symbol, text);
      this.history.get(symbol)!.add(viewKey(view.formatted(this.books.get(symbol)!)));
    }
  }

  private times(): { time_in: string; time_out: string } {
    const t = this.timestamp();
    return { time_in: t, time_out: t };
  }
}

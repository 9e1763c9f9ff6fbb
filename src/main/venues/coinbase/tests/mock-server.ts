// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/**
 * A protocol-true Coinbase Advanced Trade mock on 127.0.0.1: the public product REST endpoint
 * (GET /api/v3/brokerage/market/products[/{id}], ./mock-rest.ts) and the market-data WebSocket (one subscribe per
 * channel; level2 → snapshot then updates on channel l2_data; market_trades; heartbeats every
 * `heartbeatMs`; `sequence_num` counting every message of a connection from 0; errors as
 * {type:'error', message}). It keeps the reference books and streams realistic updates, and
 * has a switch for every fault the feed must survive.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEFAULT_PRODUCTS, MockBook, seeded, type Change, type MockProductSpec } from './mock-book';
import { serveProducts } from './mock-rest';

export interface MockOptions {
  products?: MockProductSpec[];
  levels?: number;
  seed?: number;
  /** stream tick; each tick sends `updatesPerTick` level2 updates (0: only `step()` sends) */
  intervalMs?: number;
  updatesPerTick?: number;
  heartbeatMs?: number;
  /** the venue closes a connection that has not subscribed within this (5 s on Coinbase) */
  subscribeTimeoutMs?: number;
}

interface Conn {
  ws: WebSocket;
  seq: number;
  level2: Set<string>;
  trades: Set<string>;
  silent: boolean;
  heartbeat?: NodeJS.Timeout;
  beats: number;
  held?: string;
}

export type BadNumber = 'nan' | 'negative' | 'garbage' | 'offgrid' | 'number';

export class CoinbaseMock {
  readonly books = new Map<string, MockBook>();
  wsUrl = '';
  restUrl = '';
  connections = 0;
  restRequests = 0;
  private readonly conns = new Set<Conn>();
  private readonly rng: () => number;
  private readonly recentTrades = new Map<string, object[]>();
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private tradeId = 700_000_000;
  private steps = 0;
  private nanos = 0;
  private readonly faults = { gap: 0, duplicate: 0, reorder: 0, badSide: 0, badNumber: [] as BadNumber[], updateBeforeSnapshot: 0, restFailures: 0, silentAccepts: 0 };
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  private constructor(private readonly opts: Required<MockOptions>) {
    this.rng = seeded(opts.seed);
    for (const spec of opts.products) this.books.set(spec.id, new MockBook(spec, this.rng, opts.levels));
    this.http = createServer((req, res) => {
      this.restRequests++;
      const fail = this.faults.restFailures > 0;
      if (fail) this.faults.restFailures--;
      serveProducts(req, res, this.books, fail);
    });
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  static async start(options: MockOptions = {}): Promise<CoinbaseMock> {
    const mock = new CoinbaseMock({
      products: DEFAULT_PRODUCTS, levels: 60, seed: 7, intervalMs: 5, updatesPerTick: 2, heartbeatMs: 200, subscribeTimeoutMs: 5000, ...options,
    });
    await new Promise<void>((resolve) => mock.http.listen(0, '127.0.0.1', resolve));
    const { port } = mock.http.address() as AddressInfo;
    mock.wsUrl = `ws://127.0.0.1:${port}`;
    mock.restUrl = `http://127.0.0.1:${port}`;
    if (mock.opts.intervalMs > 0) mock.timer = setInterval(() => !mock.paused && mock.step(mock.opts.updatesPerTick), mock.opts.intervalMs);
    return mock;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Sends `n` level2 updates (and now and then a trade) to every subscribed connection. */
  step(n = 1): void {
    for (let i = 0; i < n; i++) {
      const book = [...this.books.values()][Math.floor(this.rng() * this.books.size)]!;
      this.publish(book.spec.id, book.step());
      if (++this.steps % 5 === 0) this.trade(book);
    }
  }

  // ---- faults -------------------------------------------------------------------------------

  dropConnections(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  /** The next level2 update is lost: its sequence_num is used, the message never sent. */
  injectGap(): void { this.faults.gap++; }
  /** The next level2 update is sent twice (same sequence_num). */
  injectDuplicate(): void { this.faults.duplicate++; }
  /** The next level2 update is sent after the message that follows it. */
  injectReorder(): void { this.faults.reorder++; }
  /** The next level2 update names a side that is neither bid nor offer. */
  injectBadSide(): void { this.faults.badSide++; }
  /** The next level2 update carries a bad number. */
  injectBadNumber(kind: BadNumber): void { this.faults.badNumber.push(kind); }
  /** The next level2 subscription gets an update before its snapshot. */
  injectUpdateBeforeSnapshot(): void { this.faults.updateBeforeSnapshot++; }
  /** The next `n` REST requests fail with HTTP 500. */
  failRest(n: number): void { this.faults.restFailures += n; }
  /** The next `n` connections are accepted and then never sent anything. */
  acceptSilently(n: number): void { this.faults.silentAccepts += n; }
  /** Every open connection stays open but goes quiet, heartbeats included. */
  silenceCurrent(): void { for (const c of this.conns) c.silent = true; }

  /** Raw text to every connection (no sequence number used). */
  sendRaw(text: string): void {
    for (const c of this.conns) if (!c.silent) c.ws.send(text);
  }

  /** A well-formed message of a channel the feed does not know, numbered like any other. */
  sendUnknownChannel(channel = 'status_v9'): void {
    for (const c of this.conns) this.send(c, channel, [{ type: 'update', products: [] }]);
  }

  /** A numbered l2_data message of about `bytes` bytes (padding nobody reads). */
  sendLarge(bytes: number): void {
    for (const c of this.conns) this.send(c, 'l2_data', [], { padding: 'x'.repeat(bytes) });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.conns) {
      clearInterval(c.heartbeat);
      c.ws.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- WebSocket ----------------------------------------------------------------------------

  private onConnection(ws: WebSocket): void {
    this.connections++;
    const conn: Conn = { ws, seq: 0, level2: new Set(), trades: new Set(), silent: this.faults.silentAccepts > 0, beats: 0 };
    if (conn.silent) this.faults.silentAccepts--;
    this.conns.add(conn);
    const deadline = setTimeout(() => ws.close(1008, 'no subscribe received'), this.opts.subscribeTimeoutMs);
    ws.on('message', (data) => {
      clearTimeout(deadline);
      this.onClientMessage(conn, data.toString());
    });
    ws.on('close', () => {
      clearTimeout(deadline);
      clearInterval(conn.heartbeat);
      this.conns.delete(conn);
    });
    ws.on('error', () => {});
  }

  private onClientMessage(conn: Conn, text: string): void {
    let msg: { type?: unknown; channel?: unknown; product_ids?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return this.error(conn, 'malformed JSON');
    }
    const ids = Array.isArray(msg.product_ids) ? (msg.product_ids as string[]) : [];
    const unknown = ids.filter((id) => !this.books.has(id));
    if (msg.type !== 'subscribe') return this.error(conn, `unsupported message type ${String(msg.type)}`);
    if (unknown.length) return this.error(conn, `Failed to subscribe: unknown product_ids ${unknown.join(',')}`);
    const channel = String(msg.channel);
    if (channel === 'heartbeats') {
      clearInterval(conn.heartbeat);
      conn.heartbeat = setInterval(() => this.send(conn, 'heartbeats', [{ current_time: new Date().toISOString(), heartbeat_counter: ++conn.beats }]), this.opts.heartbeatMs);
    } else if (channel === 'level2') {
      for (const id of ids) conn.level2.add(id);
    } else if (channel === 'market_trades') {
      for (const id of ids) conn.trades.add(id);
    } else {
      return this.error(conn, `Failed to subscribe: unknown channel ${channel}`);
    }
    this.send(conn, 'subscriptions', [{ subscriptions: { heartbeats: conn.heartbeat ? ['heartbeats'] : [], level2: [...conn.level2], market_trades: [...conn.trades] } }]);
    if (channel === 'level2') {
      if (this.faults.updateBeforeSnapshot > 0 && ids.length) {
        this.faults.updateBeforeSnapshot--;
        const book = this.books.get(ids[0]!)!;
        this.send(conn, 'l2_data', [this.updateEvent(book, book.step(), 'update')]);
      }
      for (const id of ids) this.send(conn, 'l2_data', [this.updateEvent(this.books.get(id)!, this.books.get(id)!.snapshot(), 'snapshot')]);
    }
    if (channel === 'market_trades') {
      for (const id of ids) this.send(conn, 'market_trades', [{ type: 'snapshot', trades: this.recentTrades.get(id) ?? [] }]);
    }
  }

  private publish(productId: string, changes: Change[]): void {
    const book = this.books.get(productId)!;
    const event = this.updateEvent(book, changes, 'update');
    const fault = this.faults.gap ? 'gap' : this.faults.duplicate ? 'duplicate' : this.faults.reorder ? 'reorder' : this.faults.badSide ? 'badSide' : this.faults.badNumber.length ? 'badNumber' : '';
    const kind = fault === 'badNumber' ? this.faults.badNumber.shift()! : undefined;
    if (fault && fault !== 'badNumber') this.faults[fault]--;
    const wire = fault === 'badSide' || fault === 'badNumber' ? corrupt(event, kind) : event;
    for (const c of this.conns) {
      if (!c.level2.has(productId)) continue;
      if (fault === 'gap') c.seq++;
      else if (fault === 'reorder') c.held = this.frame(c, 'l2_data', [wire]);
      else {
        const text = this.send(c, 'l2_data', [wire]);
        if (fault === 'duplicate' && text) c.ws.send(text);
      }
    }
  }

  private trade(book: MockBook): void {
    const buyerIsMaker = this.rng() < 0.5;
    const price = book.best(buyerIsMaker ? 0 : 1);
    if (price !== price) return;
    const t = { trade_id: String(++this.tradeId), product_id: book.spec.id, price: book.formatPrice(price), size: book.formatQty(1 + Math.floor(this.rng() * book.spec.sizeLots)), side: buyerIsMaker ? 'BUY' : 'SELL', time: this.timestamp() };
    const recent = [t, ...(this.recentTrades.get(book.spec.id) ?? [])].slice(0, 10);
    this.recentTrades.set(book.spec.id, recent);
    for (const c of this.conns) if (c.trades.has(book.spec.id)) this.send(c, 'market_trades', [{ type: 'update', trades: [t] }]);
  }

  private updateEvent(book: MockBook, changes: Change[], type: 'snapshot' | 'update') {
    const eventTime = type === 'snapshot' ? '1970-01-01T00:00:00Z' : this.timestamp();
    return {
      type,
      product_id: book.spec.id,
      updates: changes.map(([side, p, q]) => ({ side: side === 0 ? 'bid' : 'offer', event_time: eventTime, price_level: book.formatPrice(p), new_quantity: book.formatQty(q) })),
    };
  }

  private frame(c: Conn, channel: string, events: unknown[], extra: object = {}): string {
    return JSON.stringify({ channel, client_id: '', timestamp: this.timestamp(), sequence_num: c.seq++, events, ...extra });
  }

  /** Sends one numbered message (then any message held back to be sent out of order); returns its text. */
  private send(c: Conn, channel: string, events: unknown[], extra: object = {}): string | undefined {
    if (c.silent || c.ws.readyState !== c.ws.OPEN) return undefined;
    const text = this.frame(c, channel, events, extra);
    c.ws.send(text);
    if (c.held) {
      c.ws.send(c.held);
      c.held = undefined;
    }
    return text;
  }

  private error(c: Conn, message: string): void {
    if (!c.silent) c.ws.send(JSON.stringify({ type: 'error', message }));
  }

  /** RFC 3339 with nanoseconds, as the venue stamps messages. */
  private timestamp(): string {
    this.nanos = (this.nanos + 1_234_567) % 1_000_000;
    return `${new Date().toISOString().slice(0, -1)}${String(this.nanos).padStart(6, '0')}Z`;
  }
}

/** A copy of an l2 event whose first level is made invalid in the way asked. */
function corrupt(event: { updates: Array<Record<string, unknown>> }, kind?: BadNumber) {
  const updates = event.updates.map((u) => ({ ...u }));
  const u = updates[0]!;
  if (kind === undefined) u.side = 'middle';
  else if (kind === 'nan') u.new_quantity = 'NaN';
  else if (kind === 'negative') u.new_quantity = '-0.5';
  else if (kind === 'garbage') u.price_level = '64k.1x';
  else if (kind === 'offgrid') u.price_level = String(u.price_level).includes('.') ? `${String(u.price_level)}0001` : `${String(u.price_level)}.0001`;
  else u.new_quantity = 0.5;
  return { ...event, updates };
}

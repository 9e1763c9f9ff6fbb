// Kraken Spot private API, as mocked here:
//   auth:   https://docs.kraken.com/api/docs/guides/spot-rest-auth
//   orders: https://docs.kraken.com/api/docs/rest-api/add-order (cancel-order, get-open-orders,
//           get-closed-orders, get-orders-info, get-trade-history, get-websockets-token)
//   stream: https://docs.kraken.com/api/docs/websocket-v2/executions
/**
 * A local Kraken Spot private API on 127.0.0.1:0: REST /0/private/* (form-encoded POSTs),
 * GET /0/public/AssetPairs, and the WebSocket v2 `executions` channel on /v2, over one port.
 *
 * Every private request is checked as Kraken checks it, with its own implementation of the
 * documented algorithm: `API-Key` must be a registered key, `nonce` must be in the body and larger
 * than the key's last nonce (within the key's nonce window) and never used before, and `API-Sign`
 * must equal base64(HMAC-SHA512(base64decode(secret), uri_path + SHA256(nonce + body))) over the
 * exact bytes received. Failures answer as Kraken does: HTTP 200 with
 * {"error":["EAPI:Invalid key" | "EAPI:Invalid nonce" | "EAPI:Invalid signature"]}. The stream's
 * subscription needs a token this mock issued through GetWebSocketsToken.
 *
 * Orders behave as Kraken's do where execution depends on it: `cl_ord_id` must be a UUID or free
 * text of at most 18 characters and is unique among open orders; a post-only order that would
 * take is accepted and then cancelled with reason "Post only order"; fills come from the test
 * (`fill`), each one a trade whose txid is also the stream's `exec_id`. Every change goes out on
 * the stream, numbered by `sequence`. Faults are queued per request (`failPlace`, `inject`) or
 * switched on the stream.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { instrumentsFromAssetPairs } from '../../symbols';

const ASSET_PAIRS_TEXT = readFileSync(new URL('../../test_data/asset-pairs.json', import.meta.url), 'utf8');

export type Fault =
  | { kind: 'timeout' } // no answer, ever
  | { kind: 'server-error'; status?: number }
  | { kind: 'rate-limit'; retryAfterS: number } // HTTP 429 with Retry-After
  | { kind: 'drop' } // the connection is cut
  | { kind: 'kraken-error'; error: string }; // HTTP 200 {"error":[error]}

/** A placement fault; `create` says whether the venue made the order before failing to answer. */
export type PlaceFault = (Fault & { create?: boolean }) | { kind: 'reject'; error: string } | { kind: 'post-only-cross' };

/** Rejections in Kraken's words. */
export const REJECT = {
  insufficientFunds: { kind: 'reject', error: 'EOrder:Insufficient funds' },
  orderMinimum: { kind: 'reject', error: 'EOrder:Order minimum not met' },
} as const satisfies Record<string, PlaceFault>;

export interface MockTrade {
  id: string;
  ordertxid: string;
  postxid: string;
  pair: string;
  time: number;
  type: 'buy' | 'sell';
  ordertype: string;
  price: string;
  cost: string;
  fee: string;
  vol: string;
  margin: string;
  misc: string;
  trade_id: number;
  maker: boolean;
}

export interface MockOrder {
  txid: string;
  cl_ord_id: string | null;
  pair: string;
  type: 'buy' | 'sell';
  ordertype: string;
  price: string;
  price2: string;
  vol: string;
  oflags: string;
  timeinforce: string;
  status: 'pending' | 'open' | 'closed' | 'canceled' | 'expired';
  opentm: number;
  closetm: number;
  reason: string | null;
  trades: MockTrade[];
}

export interface RequestRecord {
  /** the private method (AddOrder, …) or the public path */
  method: string;
  params: Record<string, string>;
  /** ms when the request arrived, and when its answer went out (0: none) */
  at: number;
  answeredAt: number;
  status: number;
  /** Kraken's error list in the answer, if any */
  errors: string[];
}

interface StreamConn {
  ws: WebSocket;
  seq: number;
  subscribed: boolean;
  heartbeat?: NodeJS.Timeout;
}

const FMT = 8;
const PAGE = 50;
const b32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const krakenId = (prefix: string) => {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => b32[b % 32]).join('');
  return `${prefix}${chars.slice(0, 5)}-${chars.slice(5, 10)}-${chars.slice(10, 16)}`;
};
const LONG_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHORT_UUID = /^[0-9a-f]{32}$/i;

export class KrakenExecMock {
  restUrl = '';
  wsUrl = '';
  readonly orders = new Map<string, MockOrder>();
  readonly requests: RequestRecord[] = [];
  /** why each refused request or subscription was refused, in order */
  readonly authFailures: string[] = [];
  /** every WebSocket token issued, for tests that look for leaks */
  readonly tokens: string[] = [];
  /** every API-Sign received */
  readonly signatures: string[] = [];
  streamConnections = 0;
  /**
   * How far below the highest nonce seen a nonce may be: the key's "nonce window", which Kraken
   * recommends setting to 10-15 s (10000 for millisecond nonces) when requests run concurrently,
   * https://support.kraken.com/hc/en-us/articles/360001148023-What-is-a-nonce-window-
   * (0 is Kraken's strict default; sign.test.ts checks that).
   */
  nonceWindow = 10_000;
  private readonly keys = new Map<string, Buffer>();
  private readonly lastNonce = new Map<string, bigint>();
  private readonly usedNonces = new Set<string>();
  private readonly validTokens = new Set<string>();
  private readonly placeFaults: PlaceFault[] = [];
  private readonly faults: Array<{ method: RegExp; fault: Fault }> = [];
  private readonly conns = new Set<StreamConn>();
  private readonly wsSymbols = new Map<string, string>();
  private refusing = false;
  private loseUpdates = 0;
  private tradeSeq = 62_887_000;
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  private constructor(private readonly heartbeatMs: number) {
    const pairs = (JSON.parse(ASSET_PAIRS_TEXT) as { result: Record<string, { altname: string }> }).result;
    for (const [key, raw] of Object.entries(pairs)) {
      const inst = instrumentsFromAssetPairs({ [key]: raw }).instruments[0];
      if (inst) this.wsSymbols.set(raw.altname, inst.wsSymbol).set(key, inst.wsSymbol);
    }
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.http, path: '/v2', verifyClient: (_info, cb) => (this.refusing ? cb(false, 503) : cb(true)) });
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  static async start(opts: { heartbeatMs?: number } = {}): Promise<KrakenExecMock> {
    const m = new KrakenExecMock(opts.heartbeatMs ?? 100);
    await new Promise<void>((resolve) => m.http.listen(0, '127.0.0.1', resolve));
    const { port } = m.http.address() as AddressInfo;
    m.restUrl = `http://127.0.0.1:${port}`;
    m.wsUrl = `ws://127.0.0.1:${port}/v2`;
    return m;
  }

  /** An API key pair the venue knows (secret: base64, as Kraken hands it out). */
  registerKey(apiKey: string, secretBase64: string): void {
    this.keys.set(apiKey, Buffer.from(secretBase64, 'base64'));
  }

  // ---- test controls ----------------------------------------------------------------------------

  /** The next AddOrder meets this fault. */
  failPlace(fault: PlaceFault): void {
    this.placeFaults.push(fault);
  }

  /** The next private request whose method matches meets this fault. */
  inject(fault: Fault, method: RegExp): void {
    this.faults.push({ method, fault });
  }

  /** After a test: injected faults cleared, the private stream accepted again. */
  reset(): void {
    this.clearFaults();
    this.refuseStream(false);
  }

  /** every request or stream login the venue refused for its credentials */
  misuse(): readonly string[] {
    return this.authFailures;
  }

  clearFaults(): void {
    this.faults.length = 0;
    this.placeFaults.length = 0;
  }

  ordersWith(clOrdId: string): MockOrder[] {
    return [...this.orders.values()].filter((o) => o.cl_ord_id === clOrdId);
  }

  /** The open order with this cl_ord_id, else the latest one. */
  byClOrdId(clOrdId: string): MockOrder {
    const all = this.ordersWith(clOrdId);
    const o = all.find(isOpen) ?? all.at(-1);
    if (!o) throw new Error(`mock: no order ${clOrdId}`);
    return o;
  }

  calls(method: string): RequestRecord[] {
    return this.requests.filter((r) => r.method === method);
  }

  /** An execution against an open order; closed once nothing is left. */
  fill(clOrdId: string, f: { vol: string; price: string; maker?: boolean; fee?: string }): MockTrade {
    const o = this.byClOrdId(clOrdId);
    if (o.status !== 'open') throw new Error(`mock: order ${clOrdId} is ${o.status}`);
    const vol = Number(f.vol);
    if (!(vol > 0) || execOf(o) + vol > Number(o.vol) + 1e-12) throw new Error(`mock: fill of ${f.vol} does not fit order ${clOrdId}`);
    const now = Date.now();
    const trade: MockTrade = {
      id: krakenId('T'), ordertxid: o.txid, postxid: krakenId('T'), pair: o.pair, time: now / 1000, type: o.type, ordertype: o.ordertype,
      price: f.price, cost: (vol * Number(f.price)).toFixed(5), fee: f.fee ?? '0.01000', vol: vol.toFixed(FMT), margin: '0.00000', misc: '',
      trade_id: ++this.tradeSeq, maker: f.maker ?? true,
    };
    o.trades.push(trade);
    const done = execOf(o) >= Number(o.vol) - 1e-12;
    if (done) {
      o.status = 'closed';
      o.closetm = now / 1000;
    }
    this.publish(tradeReport(o, trade, this.wsSymbol(o)));
    if (done) this.publish({ order_id: o.txid, exec_type: 'filled', order_status: 'filled', cum_qty: execOf(o), avg_price: avgOf(o), timestamp: iso(now) });
    return trade;
  }

  /** An order as AddOrder makes it (also: one that arrives late, after the client gave up on it). */
  createOrder(p: Record<string, string>): MockOrder {
    const o: MockOrder = {
      txid: krakenId('O'), cl_ord_id: p.cl_ord_id ?? null, pair: p.pair!, type: p.type as 'buy' | 'sell', ordertype: p.ordertype!, price: p.price ?? '0', price2: p.price2 ?? '0',
      vol: Number(p.volume).toFixed(FMT), oflags: p.oflags ?? '', timeinforce: p.timeinforce ?? 'GTC', status: 'open', opentm: Date.now() / 1000, closetm: 0, reason: null, trades: [],
    };
    this.orders.set(o.txid, o);
    this.publish(pendingReport(o, this.wsSymbol(o)));
    this.publish({ order_id: o.txid, exec_type: 'new', order_status: 'new', timestamp: iso(Date.now()) });
    return o;
  }

  /** The venue ends the order by itself (IOC remainder, self-trade prevention, …). */
  endAtVenue(clOrdId: string, status: 'canceled' | 'expired', reason: string): void {
    this.end(this.byClOrdId(clOrdId), status, reason);
  }

  private end(o: MockOrder, status: 'canceled' | 'expired', reason: string): void {
    o.status = status;
    o.reason = reason;
    o.closetm = Date.now() / 1000;
    this.publish({ order_id: o.txid, exec_type: status, order_status: status, cum_qty: execOf(o), reason, timestamp: iso(Date.now()) });
  }

  /** Every stream connection is cut (code 1006). */
  dropStream(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  /** While on, new stream connections are refused (HTTP 503 on the upgrade). */
  refuseStream(on: boolean): void {
    this.refusing = on;
  }

  /** The next `n` executions updates are lost on the way (their sequence numbers are used). */
  loseNextUpdates(n: number): void {
    this.loseUpdates += n;
  }

  get liveStreams(): number {
    return [...this.conns].filter((c) => c.subscribed).length;
  }

  async close(): Promise<void> {
    for (const c of this.conns) {
      clearInterval(c.heartbeat);
      c.ws.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- authentication ---------------------------------------------------------------------------

  /** Kraken's error for this request's credentials, or null when it would accept them. */
  checkAuth(uriPath: string, headers: IncomingMessage['headers'], body: string): string | null {
    const apiKey = String(headers['api-key'] ?? '');
    const secret = this.keys.get(apiKey);
    if (!secret) return 'EAPI:Invalid key';
    const nonceText = new URLSearchParams(body).get('nonce') ?? '';
    if (!/^\d{1,20}$/.test(nonceText)) return 'EAPI:Invalid nonce';
    const nonce = BigInt(nonceText);
    const last = this.lastNonce.get(apiKey) ?? 0n;
    const nonceKey = `${apiKey}:${nonceText}`;
    if (this.usedNonces.has(nonceKey) || nonce + BigInt(this.nonceWindow) <= last) return 'EAPI:Invalid nonce';
    const given = Buffer.from(String(headers['api-sign'] ?? ''), 'base64');
    this.signatures.push(String(headers['api-sign'] ?? ''));
    const inner = createHash('sha256').update(nonceText + body).digest();
    const expected = createHmac('sha512', secret).update(uriPath).update(inner).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'EAPI:Invalid signature';
    this.usedNonces.add(nonceKey);
    if (nonce > last) this.lastNonce.set(apiKey, nonce);
    return null;
  }

  // ---- REST -------------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const isPrivate = url.pathname.startsWith('/0/private/');
    const params = isPrivate ? Object.fromEntries(new URLSearchParams(body)) : {};
    const record: RequestRecord = { method: isPrivate ? url.pathname.slice('/0/private/'.length) : url.pathname, params, at: Date.now(), answeredAt: 0, status: 0, errors: [] };
    this.requests.push(record);
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      record.status = status;
      record.answeredAt = Date.now();
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    };
    const reply: Reply = (result, errors = []) => {
      record.errors = errors;
      send(200, JSON.stringify(errors.length ? { error: errors } : { error: [], result }));
    };
    if (req.method === 'GET' && url.pathname === '/0/public/AssetPairs') return send(200, ASSET_PAIRS_TEXT);
    if (!isPrivate || req.method !== 'POST') return send(404, JSON.stringify({ error: ['EGeneral:Unknown method'] }));
    const refused = this.checkAuth(url.pathname, req.headers, body);
    if (refused) {
      this.authFailures.push(refused);
      return reply(null, [refused]);
    }
    const fault = this.takeFault(record.method);
    if (fault && this.applyFault(fault, req, send, reply)) return;
    switch (record.method) {
      case 'AddOrder':
        return this.addOrder(params, req, send, reply);
      case 'CancelOrder':
        return this.cancelOrder(params, reply);
      case 'OpenOrders':
        return reply({ open: this.listed((o) => isOpen(o) && (!params.cl_ord_id || o.cl_ord_id === params.cl_ord_id)) });
      case 'ClosedOrders': {
        const start = Number(params.start ?? 0);
        const closed = this.listed((o) => !isOpen(o) && o.opentm > start && (!params.cl_ord_id || o.cl_ord_id === params.cl_ord_id));
        return reply({ closed, count: Object.keys(closed).length });
      }
      case 'QueryOrders': {
        const ids = String(params.txid ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        const out: Record<string, unknown> = {};
        for (const id of ids) {
          const o = this.orders.get(id);
          if (!o) return reply(null, ['EOrder:Invalid order']);
          out[id] = orderInfo(o, params.trades === 'true');
        }
        return reply(out);
      }
      case 'TradesHistory':
        return this.tradesHistory(params, reply);
      case 'GetWebSocketsToken': {
        const token = randomBytes(32).toString('base64').replace(/=+$/, '');
        this.validTokens.add(token);
        this.tokens.push(token);
        return reply({ token, expires: 900 });
      }
      default:
        return reply(null, ['EGeneral:Unknown method']);
    }
  }

  private takeFault(method: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.method.test(method));
    return i < 0 ? undefined : this.faults.splice(i, 1)[0]!.fault;
  }

  /** Returns true when the fault consumed the request. */
  private applyFault(f: Fault, req: IncomingMessage, send: Send, reply: Reply): boolean {
    switch (f.kind) {
      case 'timeout':
        return true; // held until the client gives up or the mock closes
      case 'drop':
        req.socket.destroy();
        return true;
      case 'server-error':
        send(f.status ?? 500, '<html><body>Internal Server Error</body></html>', { 'content-type': 'text/html' });
        return true;
      case 'rate-limit':
        send(429, '', { 'retry-after': String(f.retryAfterS) });
        return true;
      case 'kraken-error':
        reply(null, [f.error]);
        return true;
    }
  }

  private addOrder(p: Record<string, string>, req: IncomingMessage, send: Send, reply: Reply): void {
    if (!p.ordertype || !p.type || !p.volume || !p.pair) return reply(null, ['EGeneral:Invalid arguments']);
    if (!this.wsSymbols.has(p.pair)) return reply(null, ['EQuery:Unknown asset pair']);
    if (p.type !== 'buy' && p.type !== 'sell') return reply(null, ['EGeneral:Invalid arguments:type']);
    if (!(Number(p.volume) > 0)) return reply(null, ['EGeneral:Invalid arguments:volume']);
    if ((p.ordertype === 'limit' || p.ordertype === 'stop-loss-limit') && !(Number(p.price) > 0)) return reply(null, ['EGeneral:Invalid arguments:price']);
    if (p.ordertype === 'stop-loss-limit' && !(Number(p.price2) > 0)) return reply(null, ['EGeneral:Invalid arguments:price2']);
    if (p.timeinforce && !['GTC', 'IOC', 'GTD'].includes(p.timeinforce)) return reply(null, ['EGeneral:Invalid arguments:timeinforce']);
    const cl = p.cl_ord_id ?? null;
    if (cl !== null && !(cl.length <= 18 || LONG_UUID.test(cl) || SHORT_UUID.test(cl))) return reply(null, ['EGeneral:Invalid arguments:cl_ord_id']);
    if (cl !== null && [...this.orders.values()].some((o) => o.cl_ord_id === cl && isOpen(o))) return reply(null, ['EGeneral:Invalid arguments:cl_ord_id already in use']);
    const fault = this.placeFaults.shift();
    if (fault?.kind === 'reject') return reply(null, [fault.error]);
    const make = () => {
      const o = this.createOrder(p);
      if (fault?.kind === 'post-only-cross') {
        if (!o.oflags.split(',').includes('post')) throw new Error('mock: post-only-cross on an order without oflags=post');
        this.end(o, 'canceled', 'Post only order');
      }
      return o;
    };
    if (fault && fault.kind !== 'post-only-cross') {
      if (fault.create) make();
      this.applyFault(fault, req, send, reply);
      return;
    }
    const o = make();
    reply({ descr: { order: `${o.type} ${o.vol} ${o.pair} @ ${o.ordertype} ${o.price}` }, txid: [o.txid] });
  }

  private cancelOrder(p: Record<string, string>, reply: Reply): void {
    const o = p.txid ? this.orders.get(p.txid) : p.cl_ord_id ? this.ordersWith(p.cl_ord_id).find(isOpen) : undefined;
    if (!o || !isOpen(o)) return reply(null, ['EOrder:Unknown order']);
    this.end(o, 'canceled', 'User requested');
    reply({ count: 1 });
  }

  private tradesHistory(p: Record<string, string>, reply: Reply): void {
    const start = Number(p.start ?? 0);
    const all = [...this.orders.values()].flatMap((o) => o.trades).filter((t) => t.time > start);
    all.sort((a, b) => b.time - a.time);
    const ofs = Number(p.ofs ?? 0);
    const page = all.slice(ofs, ofs + PAGE);
    reply({ trades: Object.fromEntries(page.map(({ id, ...t }) => [id, t])), count: all.length });
  }

  private listed(keep: (o: MockOrder) => boolean): Record<string, unknown> {
    return Object.fromEntries([...this.orders.values()].filter(keep).map((o) => [o.txid, orderInfo(o, false)]));
  }

  private wsSymbol(o: MockOrder): string {
    return this.wsSymbols.get(o.pair) ?? o.pair;
  }

  // ---- executions stream ------------------------------------------------------------------------

  private onConnection(ws: WebSocket): void {
    this.streamConnections++;
    const c: StreamConn = { ws, seq: 0, subscribed: false };
    this.conns.add(c);
    ws.on('message', (data) => this.onStreamMessage(c, data.toString()));
    ws.on('close', () => {
      clearInterval(c.heartbeat);
      this.conns.delete(c);
    });
    ws.on('error', () => {});
    this.sendRaw(c, { channel: 'status', type: 'update', data: [{ api_version: 'v2', connection_id: this.streamConnections, system: 'online', version: '2.0.10' }] });
  }

  private onStreamMessage(c: StreamConn, text: string): void {
    let msg: { method?: unknown; params?: { channel?: unknown; token?: unknown; snap_orders?: unknown; snap_trades?: unknown }; req_id?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return this.sendRaw(c, { error: 'EGeneral:Invalid arguments', success: false });
    }
    const now = iso(Date.now());
    if (msg.method === 'ping') return this.sendRaw(c, { method: 'pong', req_id: msg.req_id, time_in: now, time_out: now });
    if (msg.method !== 'subscribe' || msg.params?.channel !== 'executions') {
      return this.sendRaw(c, { method: msg.method, error: 'EGeneral:Invalid arguments', success: false, time_in: now, time_out: now });
    }
    const token = msg.params.token;
    if (typeof token !== 'string' || !this.validTokens.has(token)) {
      this.authFailures.push('ws: invalid token');
      return this.sendRaw(c, { method: 'subscribe', error: 'ESession:Invalid session', success: false, time_in: now, time_out: now });
    }
    const snapOrders = msg.params.snap_orders !== false;
    const snapTrades = msg.params.snap_trades === true;
    c.subscribed = true;
    this.sendRaw(c, { method: 'subscribe', result: { channel: 'executions', maxratecount: 125, snap_orders: snapOrders, snap_trades: snapTrades }, success: true, time_in: now, time_out: now });
    const data: unknown[] = [];
    if (snapOrders) for (const o of this.orders.values()) if (isOpen(o)) data.push(snapshotOrder(o, this.wsSymbol(o)));
    if (snapTrades) {
      const recent = [...this.orders.values()].flatMap((o) => o.trades.map((t) => [o, t] as const)).sort(([, a], [, b]) => b.time - a.time).slice(0, 50);
      for (const [o, t] of recent) data.push(tradeReport(o, t, this.wsSymbol(o)));
    }
    this.sendRaw(c, { channel: 'executions', type: 'snapshot', data, sequence: ++c.seq });
    clearInterval(c.heartbeat);
    c.heartbeat = setInterval(() => this.sendRaw(c, { channel: 'heartbeat' }), this.heartbeatMs);
  }

  private publish(report: Record<string, unknown>): void {
    const lose = this.loseUpdates > 0;
    if (lose) this.loseUpdates--;
    for (const c of this.conns) {
      if (!c.subscribed) continue;
      if (lose) c.seq++;
      else this.sendRaw(c, { channel: 'executions', type: 'update', data: [report], sequence: ++c.seq });
    }
  }

  private sendRaw(c: StreamConn, msg: unknown): void {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(msg));
  }
}

type Send = (status: number, text: string, headers?: Record<string, string>) => void;
type Reply = (result: unknown, errors?: string[]) => void;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

const isOpen = (o: MockOrder) => o.status === 'open' || o.status === 'pending';
const execOf = (o: MockOrder) => o.trades.reduce((s, t) => s + Number(t.vol), 0);
const costOf = (o: MockOrder) => o.trades.reduce((s, t) => s + Number(t.cost), 0);
const feeOf = (o: MockOrder) => o.trades.reduce((s, t) => s + Number(t.fee), 0);
const avgOf = (o: MockOrder) => (execOf(o) > 0 ? costOf(o) / execOf(o) : 0);
const iso = (ms: number) => new Date(ms).toISOString();

/** An order as OpenOrders, ClosedOrders and QueryOrders answer it. */
function orderInfo(o: MockOrder, withTrades: boolean) {
  return {
    refid: null, userref: 0, cl_ord_id: o.cl_ord_id ?? undefined, status: o.status, reason: o.reason, opentm: o.opentm, closetm: o.closetm || undefined,
    starttm: 0, expiretm: 0,
    descr: { pair: o.pair, type: o.type, ordertype: o.ordertype, price: o.price, price2: o.price2, leverage: 'none', order: `${o.type} ${o.vol} ${o.pair} @ ${o.ordertype} ${o.price}`, close: '' },
    vol: o.vol, vol_exec: execOf(o).toFixed(FMT), cost: costOf(o).toFixed(5), fee: feeOf(o).toFixed(5), price: avgOf(o).toFixed(1),
    stopprice: '0.00000', limitprice: '0.00000', misc: '', oflags: o.oflags, ...(withTrades && o.trades.length ? { trades: o.trades.map((t) => t.id) } : {}),
  };
}

function pendingReport(o: MockOrder, symbol: string) {
  return {
    order_id: o.txid, ...(o.cl_ord_id ? { cl_ord_id: o.cl_ord_id } : {}), symbol, order_qty: Number(o.vol), cum_cost: 0, time_in_force: o.timeinforce,
    exec_type: 'pending_new', side: o.type, order_type: o.ordertype, limit_price_type: 'static', limit_price: Number(o.ordertype === 'stop-loss-limit' ? o.price2 : o.price),
    order_status: 'pending_new', fee_usd_equiv: 0, fee_ccy_pref: 'fciq', post_only: o.oflags.split(',').includes('post'), timestamp: iso(o.opentm * 1000),
  };
}

function snapshotOrder(o: MockOrder, symbol: string) {
  return {
    ...pendingReport(o, symbol), exec_type: 'new', order_status: execOf(o) > 0 ? 'partially_filled' : 'new', cum_qty: execOf(o), cum_cost: costOf(o), avg_price: avgOf(o),
  };
}

function tradeReport(o: MockOrder, t: MockTrade, symbol: string) {
  const filled = o.trades.slice(0, o.trades.indexOf(t) + 1);
  const cum = filled.reduce((s, x) => s + Number(x.vol), 0);
  const cost = filled.reduce((s, x) => s + Number(x.cost), 0);
  return {
    order_id: o.txid, ...(o.cl_ord_id ? { cl_ord_id: o.cl_ord_id } : {}), exec_id: t.id, exec_type: 'trade', trade_id: t.trade_id, symbol, side: o.type,
    last_qty: Number(t.vol), last_price: Number(t.price), liquidity_ind: t.maker ? 'm' : 't', cost: Number(t.cost), order_type: o.ordertype,
    timestamp: iso(t.time * 1000), order_status: 'partially_filled', cum_qty: cum, cum_cost: cost, avg_price: cum > 0 ? cost / cum : 0,
    fee_usd_equiv: Number(t.fee), fees: [{ asset: 'USD', qty: Number(t.fee) }],
  };
}

// Binance.US private API, as mocked here:
//   signing:  https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#signed-trade-and-user_data-endpoint-security
//   orders:   https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#account-endpoints
//   errors:   https://github.com/binance-us/binance-us-api-docs/blob/master/errors.md
//   stream:   https://github.com/binance-us/binance-us-api-docs/blob/master/user-data-stream.md
/**
 * A local Binance.US private API on 127.0.0.1:0: REST orders (new, query, cancel, open orders,
 * my trades), listen keys, server time, exchangeInfo and ticker, and the user data stream at
 * `/ws/<listenKey>`, over one port.
 *
 * Authentication is checked as the venue documents it: `X-MBX-APIKEY` must name a registered key
 * (else -2014/-2015, HTTP 401); a SIGNED request's `signature` must be the hex HMAC-SHA256, with
 * that key's secret, of totalParams = the raw query string (without the signature pair)
 * concatenated with the raw request body (likewise), compared case-insensitively (else -1022);
 * its `timestamp` must pass `timestamp < serverTime + 1000 && serverTime - timestamp <= recvWindow`
 * (recvWindow default 5000, at most 60000; else -1021). Every refusal is recorded in `authFailures`.
 *
 * Orders behave as the venue's do where execution depends on it: a client order id held by an open
 * order is refused ("Duplicate order sent."); marketable orders take the mock's top of book on
 * arrival (fills in the FULL answer, and on the stream), IOC/market rests expire, FOK expires
 * whole; LIMIT_MAKER that would cross, stop orders on the wrong side of the last price, and orders
 * beyond the free balance are refused with Binance's -2010 messages. Resting orders fill when the
 * test says (`fill`). Every change goes out as an `executionReport` to the account's stream.
 * Faults are queued per request (`inject`), or switched on the stream.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type Fault =
  /** no answer, ever; `process`: the venue acted on the request before going silent */
  | { kind: 'timeout'; process?: boolean }
  /** HTTP 5xx, "execution status unknown"; `process` as above */
  | { kind: 'server-error'; status?: number; process?: boolean }
  /** the connection is cut; `process` as above */
  | { kind: 'drop'; process?: boolean }
  /** HTTP 429 -1003, with Retry-After unless `retryAfterS` is undefined */
  | { kind: 'rate-limit'; retryAfterS?: number }
  /** HTTP 418 -1003 "IP banned until …" with Retry-After */
  | { kind: 'ban'; retryAfterS: number }
  /** any venue error answer; `process` as above (Binance's -1006/-1007: "execution status unknown") */
  | { kind: 'error'; status: number; code: number; msg: string; process?: boolean }
  /**
   * the request reaches the venue only after `afterMs` (queued on the way) and is never answered:
   * checked and acted on then, as a late request is (refused with -1021 if recvWindow has passed)
   */
  | { kind: 'late'; afterMs: number };

export interface MockSymbol {
  symbol: string;
  base: string;
  quote: string;
  /** 8 decimals, as exchangeInfo gives them */
  tickSize: string;
  stepSize: string;
  status?: string;
  /** top of book and last price (decimal strings); marketable orders trade against it */
  bid: string;
  ask: string;
  bidQty: string;
  askQty: string;
  last: string;
}

export const MOCK_SYMBOLS: MockSymbol[] = [
  { symbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: '0.01000000', stepSize: '0.00001000', bid: '67000.00', ask: '67000.01', bidQty: '0.5', askQty: '0.5', last: '67000.00' },
  { symbol: 'ETHUSD', base: 'ETH', quote: 'USD', tickSize: '0.01000000', stepSize: '0.00010000', bid: '3456.78', ask: '3456.79', bidQty: '10', askQty: '10', last: '3456.78' },
  { symbol: 'XRPUSD', base: 'XRP', quote: 'USD', tickSize: '0.00010000', stepSize: '0.10000000', bid: '0.5000', ask: '0.5001', bidQty: '1000', askQty: '1000', last: '0.5000', status: 'BREAK' },
];

export interface MockOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: 'BUY' | 'SELL';
  type: string;
  timeInForce: string | null;
  /** 8-decimal integer units */
  price: number;
  origQty: number;
  stopPrice: number;
  executed: number;
  cumQuote: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';
  time: number;
  updateTime: number;
}

export interface MockTrade {
  symbol: string;
  id: number;
  orderId: number;
  price: number;
  qty: number;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  /** parsed parameters, query and body (signature left out) */
  params: Record<string, string>;
  /** ms (mock clock) when the request arrived */
  at: number;
  status: number;
}

const E8 = 100_000_000;
const WINDOW_MAX = 60_000;
const OPEN: ReadonlySet<string> = new Set(['NEW', 'PARTIALLY_FILLED']);

/** "67000.01" → 6700001000000 (8-decimal units); NaN when not a decimal with at most 8 places. */
export function units(text: string | undefined): number {
  const m = /^(\d+)(?:\.(\d{0,8}))?$/.exec(text ?? '');
  if (!m) return NaN;
  return Number(m[1]) * E8 + Number((m[2] ?? '').padEnd(8, '0'));
}

/** 8-decimal units as Binance prints numbers: "0.00100000" */
export function fmt(u: number): string {
  const whole = Math.floor(u / E8);
  return `${whole}.${String(u - whole * E8).padStart(8, '0')}`;
}

interface Account {
  secret: string;
  listenKey: string | null;
}

interface StreamConn {
  ws: WebSocket;
  apiKey: string;
}

export class BinanceUsExecMock {
  restUrl = '';
  wsUrl = '';
  /** the mock venue's clock: real time + skewMs (tests set it, e.g. to the docs' example time) */
  clock: () => number = () => Date.now() + this.skewMs;
  skewMs = 0;
  readonly orders: MockOrder[] = [];
  readonly trades: MockTrade[] = [];
  readonly requests: RequestRecord[] = [];
  /** why each refused request was refused */
  readonly authFailures: string[] = [];
  /** every listen key handed out (tests look for leaks) */
  readonly listenKeys: string[] = [];
  readonly symbols = new Map<string, MockSymbol>();
  /** free balance per asset in 8-decimal units; an asset not listed has plenty */
  readonly balances = new Map<string, number>();
  streamConnections = 0;
  /** the next n executionReports are not sent (lost on the way) */
  loseEvents = 0;
  private readonly accounts = new Map<string, Account>();
  private readonly validKeys = new Map<string, string>();
  private readonly faults: Array<{ method?: string; path: string; fault: Fault }> = [];
  private readonly conns = new Set<StreamConn>();
  private readonly held = new Set<ServerResponse>();
  private readonly late = new Set<NodeJS.Timeout>();
  private refusing = false;
  private nextOrderId = 5_000_000;
  private readonly nextTradeId = new Map<string, number>();
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(private readonly listed: MockSymbol[]) {
    for (const s of listed) this.symbols.set(s.symbol, { ...s });
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as Socket, head));
  }

  static async start(opts: { symbols?: MockSymbol[] } = {}): Promise<BinanceUsExecMock> {
    const m = new BinanceUsExecMock(opts.symbols ?? MOCK_SYMBOLS);
    await new Promise<void>((resolve) => m.http.listen(0, '127.0.0.1', resolve));
    const port = (m.http.address() as AddressInfo).port;
    m.restUrl = `http://127.0.0.1:${port}`;
    m.wsUrl = `ws://127.0.0.1:${port}`;
    return m;
  }

  /** A new API key and secret for an account (64 characters each, as Binance issues them). */
  newAccount(): { apiKey: string; secret: string } {
    const key = { apiKey: randomBytes(32).toString('hex'), secret: randomBytes(32).toString('hex') };
    this.addKey(key.apiKey, key.secret);
    return key;
  }

  addKey(apiKey: string, secret: string): void {
    this.accounts.set(apiKey, { secret, listenKey: null });
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.ws.terminate();
    for (const res of this.held) res.destroy();
    for (const t of this.late) clearTimeout(t);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.http.closeAllConnections();
      this.http.close(() => resolve());
    });
  }

  // ---- test controls --------------------------------------------------------------------------

  /** the next request matching method + path gets `fault` instead of (or, with `process`, after) its real handling */
  inject(fault: Fault, path: string, method?: string): void {
    this.faults.push({ path, method, fault });
  }

  /** After a test: injected faults cleared, the stream accepted again, clock, balances and symbols as at start. */
  reset(): void {
    this.clearFaults();
    this.refuseStream(false);
    this.loseEvents = 0;
    this.skewMs = 0;
    this.balances.clear();
    this.symbols.clear();
    for (const s of this.listed) this.symbols.set(s.symbol, { ...s });
  }

  /** every request the venue refused for its signature, key or timestamp */
  misuse(): readonly string[] {
    return this.authFailures;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** the account's latest order with this client order id */
  byClientId(clientOrderId: string): MockOrder | undefined {
    return this.orders.findLast((o) => o.clientOrderId === clientOrderId);
  }

  ordersWithClientId(clientOrderId: string): MockOrder[] {
    return this.orders.filter((o) => o.clientOrderId === clientOrderId);
  }

  requestsTo(method: string, path: string, from = 0): RequestRecord[] {
    return this.requests.slice(from).filter((r) => r.method === method && r.path === path);
  }

  /** A resting order trades (maker unless said otherwise): the trade, the order's new state, an executionReport. */
  fill(clientOrderId: string, f: { qty: string; price?: string; maker?: boolean; commission?: string; commissionAsset?: string }): MockTrade {
    const o = this.byClientId(clientOrderId);
    if (!o || !OPEN.has(o.status)) throw new Error(`mock: no open order ${clientOrderId}`);
    const qty = units(f.qty);
    if (!(qty > 0) || qty > o.origQty - o.executed) throw new Error(`mock: cannot fill ${f.qty} of ${clientOrderId}`);
    return this.trade(o, f.price === undefined ? o.price : units(f.price), qty, f.maker ?? true, f.commission, f.commissionAsset);
  }

  /** The order ends at the venue without us asking (cancelled in the web UI, expired by the exchange). */
  endAtVenue(clientOrderId: string, status: 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH'): void {
    const o = this.byClientId(clientOrderId);
    if (!o || !OPEN.has(o.status)) throw new Error(`mock: no open order ${clientOrderId}`);
    o.status = status;
    o.updateTime = this.clock();
    this.publish(o, status === 'CANCELED' ? 'CANCELED' : status === 'EXPIRED' ? 'EXPIRED' : 'TRADE_PREVENTION', { c: status === 'CANCELED' ? `web_${o.orderId}` : o.clientOrderId, C: status === 'CANCELED' ? o.clientOrderId : '' });
  }

  /** refuse new stream connections (HTTP 503 on the upgrade) */
  refuseStream(on: boolean): void {
    this.refusing = on;
  }

  /** cut every stream connection, as a network drop would */
  dropStream(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  get liveStreams(): number {
    return this.conns.size;
  }

  /** The account's listen key expires: `listenKeyExpired` to its sockets, and the key is gone (the next POST gives a new one). */
  expireListenKey(apiKey: string): void {
    const acc = this.accounts.get(apiKey);
    if (!acc?.listenKey) return;
    const key = acc.listenKey;
    acc.listenKey = null;
    this.validKeys.delete(key);
    for (const c of this.conns) if (c.apiKey === apiKey) c.ws.send(JSON.stringify({ e: 'listenKeyExpired', E: this.clock(), listenKey: key }));
  }

  /** The account's listen key is forgotten without a word (the next keepalive gets -1125). */
  forgetListenKey(apiKey: string): void {
    const acc = this.accounts.get(apiKey);
    if (!acc?.listenKey) return;
    this.validKeys.delete(acc.listenKey);
    acc.listenKey = null;
  }

  /** text as-is to every stream */
  sendRaw(text: string): void {
    for (const c of this.conns) c.ws.send(text);
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.clock();
    const url = new URL(req.url ?? '/', 'http://mock');
    const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const rawBody = await readBody(req);
    const params: Record<string, string> = {};
    const ctype = req.headers['content-type'] ?? '';
    if (rawBody && ctype.startsWith('application/x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
    for (const [k, v] of url.searchParams) params[k] = v; // the query string wins (docs)
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const { signature, ...recorded } = params;
    void signature;
    const record: RequestRecord = { method, path, params: recorded, at, status: 0 };
    this.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: number, msg: string, headers?: Record<string, string>) => send(status, { code, msg }, headers);

    const i = this.faults.findIndex((f) => f.path === path && (!f.method || f.method === method));
    const fault = i >= 0 ? this.faults.splice(i, 1)[0]!.fault : undefined;
    if (fault?.kind === 'rate-limit') {
      return error(429, -1003, 'Too much request weight used; current limit is 1200 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.', fault.retryAfterS === undefined ? {} : { 'retry-after': String(fault.retryAfterS) });
    }
    if (fault?.kind === 'ban') {
      return error(418, -1003, `Way too much request weight used; IP banned until ${at + fault.retryAfterS * 1000}. Please use WebSocket Streams for live updates to avoid bans.`, { 'retry-after': String(fault.retryAfterS) });
    }
    if (fault?.kind === 'late') {
      record.status = -1;
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      const timer = setTimeout(() => {
        this.late.delete(timer);
        record.status = this.handle(method, path, params, rawQuery, rawBody, req.headers['x-mbx-apikey']).status;
      }, fault.afterMs);
      this.late.add(timer);
      return;
    }
    const processes = !fault || fault.process === true;
    let answer: { status: number; body: unknown } = { status: 500, body: { code: -1000, msg: 'not handled' } };
    if (processes) answer = this.handle(method, path, params, rawQuery, rawBody, req.headers['x-mbx-apikey']);
    if (fault?.kind === 'error') return error(fault.status, fault.code, fault.msg);
    if (fault?.kind === 'timeout') {
      record.status = -1;
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    if (fault?.kind === 'drop') {
      record.status = -2;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'server-error') return error(fault.status ?? 503, -1001, 'Internal error; unable to process your request. Please try again.');
    send(answer.status, answer.body);
  }

  private handle(method: string, path: string, p: Record<string, string>, rawQuery: string, rawBody: string, keyHeader: string | string[] | undefined): { status: number; body: unknown } {
    const err = (status: number, code: number, msg: string) => ({ status, body: { code, msg } });
    const ok = (body: unknown) => ({ status: 200, body });
    // public
    if (method === 'GET' && path === '/api/v3/time') return ok({ serverTime: this.clock() });
    if (method === 'GET' && path === '/api/v3/exchangeInfo') return ok(this.exchangeInfo());
    if (method === 'GET' && path === '/api/v3/ticker/price') {
      const s = this.symbols.get(p.symbol ?? '');
      return s ? ok({ symbol: s.symbol, price: fmt(units(s.last)) }) : err(400, -1121, 'Invalid symbol.');
    }
    const known = ['/api/v3/order', '/api/v3/openOrders', '/api/v3/myTrades', '/api/v3/userDataStream'];
    if (!known.includes(path)) return err(404, -1000, `no such endpoint ${path}`);
    // USER_STREAM and SIGNED: the key
    const apiKey = typeof keyHeader === 'string' ? keyHeader : '';
    if (!apiKey) return this.refuse(401, -2014, 'API-key format invalid.', `${method} ${path}: no X-MBX-APIKEY`);
    const acc = this.accounts.get(apiKey);
    if (!acc) return this.refuse(401, -2015, 'Invalid API-key, IP, or permissions for action.', `${method} ${path}: unknown API key`);
    if (path === '/api/v3/userDataStream') return this.userDataStream(method, p, acc);
    // SIGNED: signature over totalParams, then timing
    const sig = p.signature;
    if (!sig) return this.refuse(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.", `${method} ${path}: no signature`);
    const total = withoutSignature(rawQuery) + withoutSignature(rawBody);
    const expected = createHmac('sha256', acc.secret).update(total).digest('hex');
    const a = Buffer.from(sig.toLowerCase());
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return this.refuse(400, -1022, 'Signature for this request is not valid.', `${method} ${path}: bad signature`);
    const ts = Number(p.timestamp);
    if (!p.timestamp || !Number.isSafeInteger(ts)) return this.refuse(400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.", `${method} ${path}: no timestamp`);
    const recvWindow = p.recvWindow === undefined ? 5000 : Number(p.recvWindow);
    if (!Number.isSafeInteger(recvWindow) || recvWindow <= 0 || recvWindow > WINDOW_MAX) return err(400, -1131, 'recvWindow must be less than 60000');
    const serverTime = this.clock();
    if (ts >= serverTime + 1000) return this.refuse(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.", `${method} ${path}: timestamp ahead`);
    if (serverTime - ts > recvWindow) return this.refuse(400, -1021, 'Timestamp for this request is outside of the recvWindow.', `${method} ${path}: timestamp outside recvWindow`);
    switch (`${method} ${path}`) {
      case 'POST /api/v3/order':
        return this.newOrder(p);
      case 'GET /api/v3/order': {
        const o = this.find(p);
        if ('status' in o && 'body' in o) return o;
        return ok(orderView(o));
      }
      case 'DELETE /api/v3/order':
        return this.cancelOrder(p);
      case 'GET /api/v3/openOrders':
        return ok(this.orders.filter((o) => OPEN.has(o.status) && (!p.symbol || o.symbol === p.symbol)).map(orderView));
      case 'GET /api/v3/myTrades':
        return this.myTrades(p);
      default:
        return err(404, -1000, `no such endpoint ${method} ${path}`);
    }
  }

  private refuse(status: number, code: number, msg: string, why: string): { status: number; body: unknown } {
    this.authFailures.push(why);
    return { status, body: { code, msg } };
  }

  private userDataStream(method: string, p: Record<string, string>, acc: Account): { status: number; body: unknown } {
    if (method === 'POST') {
      if (!acc.listenKey) {
        acc.listenKey = randomBytes(32).toString('hex');
        this.listenKeys.push(acc.listenKey);
        const apiKey = [...this.accounts].find(([, a]) => a === acc)![0];
        this.validKeys.set(acc.listenKey, apiKey);
      }
      return { status: 200, body: { listenKey: acc.listenKey } };
    }
    if (!p.listenKey) return { status: 400, body: { code: -1102, msg: "Mandatory parameter 'listenKey' was not sent, was empty/null, or malformed." } };
    if (p.listenKey !== acc.listenKey) return { status: 400, body: { code: -1125, msg: 'This listenKey does not exist.' } };
    if (method === 'DELETE') {
      this.validKeys.delete(acc.listenKey);
      acc.listenKey = null;
    }
    return { status: 200, body: {} };
  }

  private newOrder(p: Record<string, string>): { status: number; body: unknown } {
    const err = (status: number, code: number, msg: string) => ({ status, body: { code, msg } });
    const s = this.symbols.get(p.symbol ?? '');
    if (!s) return err(400, -1121, 'Invalid symbol.');
    const side = p.side;
    if (side !== 'BUY' && side !== 'SELL') return err(400, -1117, 'Invalid side.');
    const type = p.type ?? '';
    const needs: Record<string, string[]> = {
      LIMIT: ['timeInForce', 'quantity', 'price'], MARKET: ['quantity'], LIMIT_MAKER: ['quantity', 'price'],
      STOP_LOSS_LIMIT: ['timeInForce', 'quantity', 'price', 'stopPrice'], TAKE_PROFIT_LIMIT: ['timeInForce', 'quantity', 'price', 'stopPrice'],
    };
    if (!needs[type]) return err(400, -1116, 'Invalid orderType.');
    for (const k of needs[type]!) if (!p[k]) return err(400, -1102, `Mandatory parameter '${k}' was not sent, was empty/null, or malformed.`);
    if ((type === 'MARKET' || type === 'LIMIT_MAKER') && p.timeInForce !== undefined) return err(400, -1106, "Parameter 'timeInForce' sent when not required.");
    if (type === 'MARKET' && p.price !== undefined) return err(400, -1106, "Parameter 'price' sent when not required.");
    if (p.timeInForce !== undefined && !['GTC', 'IOC', 'FOK'].includes(p.timeInForce)) return err(400, -1115, 'Invalid timeInForce.');
    if ((s.status ?? 'TRADING') !== 'TRADING') return err(400, -1013, 'This order type is not possible in this trading phase.');
    const qty = units(p.quantity);
    const price = p.price === undefined ? 0 : units(p.price);
    const stop = p.stopPrice === undefined ? 0 : units(p.stopPrice);
    if (!(qty > 0) || qty % units(s.stepSize) !== 0) return err(400, -1013, 'Filter failure: LOT_SIZE');
    if (Number.isNaN(price) || price % units(s.tickSize) !== 0 || (type !== 'MARKET' && price <= 0)) return err(400, -1013, 'Filter failure: PRICE_FILTER');
    if (Number.isNaN(stop) || stop % units(s.tickSize) !== 0) return err(400, -1013, 'Filter failure: PRICE_FILTER');
    const cid = p.newClientOrderId ?? `mock${randomBytes(8).toString('hex')}`;
    if (!/^[a-zA-Z0-9-_]{1,36}$/.test(cid)) return err(400, -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'.");
    if (this.orders.some((o) => o.clientOrderId === cid && OPEN.has(o.status))) return err(400, -2010, 'Duplicate order sent.');
    const bid = units(s.bid), ask = units(s.ask), last = units(s.last);
    if (type === 'LIMIT_MAKER' && (side === 'BUY' ? price >= ask : price <= bid)) return err(400, -2010, 'Order would immediately match and take.');
    if (type === 'STOP_LOSS_LIMIT' && (side === 'BUY' ? stop <= last : stop >= last)) return err(400, -2010, 'Order would trigger immediately.');
    if (type === 'TAKE_PROFIT_LIMIT' && (side === 'BUY' ? stop >= last : stop <= last)) return err(400, -2010, 'Order would trigger immediately.');
    const costAsset = side === 'BUY' ? s.quote : s.base;
    const cost = side === 'BUY' ? Math.round((qty / E8) * (type === 'MARKET' ? ask : price)) : qty;
    if (cost > this.free(costAsset)) return err(400, -2010, 'Account has insufficient balance for requested action.');
    const now = this.clock();
    const o: MockOrder = {
      symbol: s.symbol, orderId: this.nextOrderId++, clientOrderId: cid, side, type, timeInForce: type === 'MARKET' || type === 'LIMIT_MAKER' ? null : p.timeInForce!,
      price, origQty: qty, stopPrice: stop, executed: 0, cumQuote: 0, status: 'NEW', time: now, updateTime: now,
    };
    this.orders.push(o);
    // on arrival: take the top of book if marketable (FOK only if it can fill whole)
    const crosses = type === 'MARKET' || (type === 'LIMIT' && (side === 'BUY' ? price >= ask : price <= bid));
    const avail = side === 'BUY' ? units(s.askQty) : units(s.bidQty);
    const fills: MockTrade[] = [];
    if (crosses && o.timeInForce === 'FOK' && avail < qty) {
      o.status = 'EXPIRED';
      this.publish(o, 'NEW');
      this.publish(o, 'EXPIRED');
    } else {
      this.publish(o, 'NEW');
      if (crosses && avail > 0) {
        const take = Math.min(avail, qty);
        if (side === 'BUY') s.askQty = fmt(avail - take);
        else s.bidQty = fmt(avail - take);
        fills.push(this.trade(o, side === 'BUY' ? ask : bid, take, false));
      }
      if (OPEN.has(o.status) && (type === 'MARKET' || (crosses && o.timeInForce === 'IOC'))) {
        o.status = 'EXPIRED';
        this.publish(o, 'EXPIRED');
      }
    }
    const resp = p.newOrderRespType ?? (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK');
    const ack = { symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, transactTime: o.time };
    if (resp === 'ACK') return { status: 200, body: ack };
    const result = { ...orderView(o), transactTime: o.time };
    if (resp === 'RESULT') return { status: 200, body: result };
    return {
      status: 200,
      body: { ...result, fills: fills.map((f) => ({ price: fmt(f.price), qty: fmt(f.qty), commission: f.commission, commissionAsset: f.commissionAsset, tradeId: f.id })) },
    };
  }

  private find(p: Record<string, string>): MockOrder | { status: number; body: unknown } {
    if (!this.symbols.has(p.symbol ?? '')) return { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } };
    if (!p.orderId && !p.origClientOrderId) return { status: 400, body: { code: -1102, msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!" } };
    const o = p.orderId
      ? this.orders.find((x) => x.symbol === p.symbol && x.orderId === Number(p.orderId))
      : this.orders.findLast((x) => x.symbol === p.symbol && x.clientOrderId === p.origClientOrderId);
    return o ?? { status: 400, body: { code: -2013, msg: 'Order does not exist.' } };
  }

  private cancelOrder(p: Record<string, string>): { status: number; body: unknown } {
    const o = this.find(p);
    if ('body' in o) {
      return (o.body as { code: number }).code === -2013 ? { status: 400, body: { code: -2011, msg: 'Unknown order sent.' } } : o;
    }
    if (!OPEN.has(o.status)) return { status: 400, body: { code: -2011, msg: 'Unknown order sent.' } };
    o.status = 'CANCELED';
    o.updateTime = this.clock();
    const cancelId = p.newClientOrderId ?? `cancel${randomBytes(6).toString('hex')}`;
    this.publish(o, 'CANCELED', { c: cancelId, C: o.clientOrderId });
    return {
      status: 200,
      body: {
        symbol: o.symbol, origClientOrderId: o.clientOrderId, orderId: o.orderId, orderListId: -1, clientOrderId: cancelId, price: fmt(o.price), origQty: fmt(o.origQty),
        executedQty: fmt(o.executed), cummulativeQuoteQty: fmt(o.cumQuote), status: o.status, timeInForce: o.timeInForce ?? 'GTC', type: o.type, side: o.side, selfTradePreventionMode: 'NONE',
      },
    };
  }

  private myTrades(p: Record<string, string>): { status: number; body: unknown } {
    if (!this.symbols.has(p.symbol ?? '')) return { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } };
    const limit = Math.min(Number(p.limit ?? 500), 1000);
    let list = this.trades.filter((t) => t.symbol === p.symbol);
    if (p.orderId) list = list.filter((t) => t.orderId === Number(p.orderId));
    if (p.fromId) list = list.filter((t) => t.id >= Number(p.fromId));
    list = p.fromId ? list.slice(0, limit) : list.slice(-limit);
    return {
      status: 200,
      body: list.map((t) => ({
        symbol: t.symbol, id: t.id, orderId: t.orderId, orderListId: -1, price: fmt(t.price), qty: fmt(t.qty), quoteQty: fmt(Math.round((t.price / E8) * t.qty)),
        commission: t.commission, commissionAsset: t.commissionAsset, time: t.time, isBuyer: t.isBuyer, isMaker: t.isMaker, isBestMatch: true,
      })),
    };
  }

  private trade(o: MockOrder, price: number, qty: number, maker: boolean, commission?: string, commissionAsset?: string): MockTrade {
    const s = this.symbols.get(o.symbol)!;
    const id = this.nextTradeId.get(o.symbol) ?? 1000;
    this.nextTradeId.set(o.symbol, id + 1);
    const quote = Math.round((price / E8) * qty);
    const t: MockTrade = {
      symbol: o.symbol, id, orderId: o.orderId, price, qty, time: this.clock(), isBuyer: o.side === 'BUY', isMaker: maker,
      commission: commission ?? fmt(Math.round(quote / 1000)), commissionAsset: commissionAsset ?? s.quote,
    };
    this.trades.push(t);
    o.executed += qty;
    o.cumQuote += quote;
    o.status = o.executed >= o.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    o.updateTime = t.time;
    s.last = fmt(price);
    this.publish(o, 'TRADE', { trade: t });
    return t;
  }

  private free(asset: string): number {
    const balance = this.balances.get(asset);
    if (balance === undefined) return Number.MAX_SAFE_INTEGER;
    let locked = 0;
    for (const o of this.orders) {
      if (!OPEN.has(o.status)) continue;
      const s = this.symbols.get(o.symbol)!;
      const rest = o.origQty - o.executed;
      if (o.side === 'BUY' && s.quote === asset) locked += Math.round((rest / E8) * o.price);
      if (o.side === 'SELL' && s.base === asset) locked += rest;
    }
    return balance - locked;
  }

  private exchangeInfo() {
    return {
      timezone: 'UTC', serverTime: this.clock(),
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 1200 }, { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 }],
      exchangeFilters: [],
      symbols: [...this.symbols.values()].map((s) => ({
        symbol: s.symbol, status: s.status ?? 'TRADING', baseAsset: s.base, baseAssetPrecision: 8, quoteAsset: s.quote, quotePrecision: 4, quoteAssetPrecision: 4,
        orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'], icebergAllowed: true, ocoAllowed: true,
        isSpotTradingAllowed: true, isMarginTradingAllowed: false, permissions: ['SPOT'],
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: s.tickSize, maxPrice: '1000000.00000000', tickSize: s.tickSize },
          { filterType: 'LOT_SIZE', minQty: s.stepSize, maxQty: '9000.00000000', stepSize: s.stepSize },
        ],
      })),
    };
  }

  // ---- user data stream -----------------------------------------------------------------------

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://mock');
    const key = url.pathname.startsWith('/ws/') ? url.pathname.slice(4) : '';
    const apiKey = this.validKeys.get(key);
    socket.on('error', () => socket.destroy()); // a client that resets a refused upgrade must not crash the test run
    if (this.refusing || !apiKey) {
      socket.end(`HTTP/1.1 ${this.refusing ? '503 Service Unavailable' : '400 Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: StreamConn = { ws, apiKey };
      this.conns.add(conn);
      this.streamConnections++;
      ws.on('close', () => this.conns.delete(conn));
      ws.on('error', () => {});
    });
  }

  /** One executionReport for the order's account streams (the mock has one account per key; events go to every stream). */
  private publish(o: MockOrder, x: string, extra: { trade?: MockTrade; c?: string; C?: string; r?: string } = {}): void {
    const t = extra.trade;
    const now = this.clock();
    const ev = {
      e: 'executionReport', E: now, s: o.symbol, c: extra.c ?? o.clientOrderId, S: o.side, o: o.type, f: o.timeInForce ?? 'GTC',
      q: fmt(o.origQty), p: fmt(o.price), P: fmt(o.stopPrice), F: '0.00000000', g: -1, C: extra.C ?? '', x, X: o.status, r: extra.r ?? 'NONE',
      i: o.orderId, l: fmt(t?.qty ?? 0), z: fmt(o.executed), L: fmt(t?.price ?? 0), n: t?.commission ?? '0', N: t?.commissionAsset ?? null,
      T: t?.time ?? now, t: t?.id ?? -1, I: now, w: OPEN.has(o.status), m: t?.isMaker ?? false, M: false, O: o.time,
      Z: fmt(o.cumQuote), Y: fmt(t ? Math.round((t.price / E8) * t.qty) : 0), Q: '0.00000000', W: o.time, V: 'NONE',
    };
    if (this.loseEvents > 0) {
      this.loseEvents--;
      return;
    }
    const text = JSON.stringify(ev);
    for (const c of this.conns) c.ws.send(text);
  }
}

function orderView(o: MockOrder) {
  return {
    symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, price: fmt(o.price), origQty: fmt(o.origQty), executedQty: fmt(o.executed),
    cummulativeQuoteQty: fmt(o.cumQuote), status: o.status, timeInForce: o.timeInForce ?? 'GTC', type: o.type, side: o.side,
    ...(o.stopPrice ? { stopPrice: fmt(o.stopPrice) } : {}), icebergQty: '0.00000000', time: o.time, updateTime: o.updateTime,
    isWorking: OPEN.has(o.status), workingTime: o.time, origQuoteOrderQty: '0.00000000', selfTradePreventionMode: 'NONE',
  };
}

/** The raw text with its `signature=` pair taken out (what the signature covers). */
export function withoutSignature(raw: string): string {
  return raw
    .split('&')
    .filter((pair) => !pair.startsWith('signature='))
    .join('&');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

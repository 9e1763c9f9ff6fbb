// Coinbase Advanced Trade private API, as mocked here:
//   orders: https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/rest-api/orders/create-order (and list/get/fills/cancel)
//   auth:   https://docs.cdp.coinbase.com/get-started/authentication/jwt-authentication
//   user channel: https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/websocket/user
/**
 * A local Coinbase Advanced Trade private API on 127.0.0.1:0: REST orders (create, batch cancel,
 * get, list, fills) and the WebSocket `user` + `heartbeats` channels, over one port.
 *
 * Every REST request must carry `Authorization: Bearer <jwt>` that verifies as the venue checks
 * it: ES256 signature by the registered key named in `kid`, `iss` "cdp", `sub` = `kid`, inside
 * nbf..exp (at most 120 s), and `uri` = "<METHOD> <host><path>" of this very request; otherwise
 * HTTP 401 with Coinbase's plain-text "Unauthorized". The user-channel subscribe message carries
 * a JWT too; a bad one gets {"type":"error","message":"authentication failure"}.
 *
 * Orders behave as the venue's do where execution depends on it: a repeated client_order_id is
 * answered with the existing order (never a second one); fills come from the test (`fill`);
 * every change goes out on the user channel as a cumulative update, numbered by `sequence_num`.
 * Faults are queued per request (`failPlace`, `inject`) or switched on the stream.
 */
import { randomUUID, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type Fault =
  | { kind: 'timeout' } // no answer, ever
  | { kind: 'server-error'; status?: number }
  | { kind: 'rate-limit'; retryAfterS: number }
  | { kind: 'drop' }; // the connection is cut

/** A placement fault; `create` says whether the venue made the order before failing to answer. */
export type PlaceFault = (Fault & { create?: boolean }) | { kind: 'reject'; error: string; message: string; preview: string };

/** Rejections in the venue's words (Create Order → error_response). */
export const REJECT = {
  insufficientFunds: { kind: 'reject', error: 'INSUFFICIENT_FUND', message: 'Insufficient balance in source account', preview: 'PREVIEW_INSUFFICIENT_FUND' },
  postOnlyWouldCross: { kind: 'reject', error: 'INVALID_LIMIT_PRICE_POST_ONLY', message: 'Invalid limit price for post only order', preview: 'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY' },
} as const satisfies Record<string, PlaceFault>;

export interface MockFill {
  entry_id: string;
  trade_id: string;
  order_id: string;
  trade_time: string;
  trade_type: 'FILL';
  price: string;
  size: string;
  commission: string;
  product_id: string;
  sequence_timestamp: string;
  liquidity_indicator: 'MAKER' | 'TAKER';
  size_in_quote: false;
  user_id: string;
  side: 'BUY' | 'SELL';
  retail_portfolio_id: string;
}

export interface MockOrder {
  order_id: string;
  client_order_id: string;
  product_id: string;
  side: 'BUY' | 'SELL';
  config: Record<string, Record<string, unknown>>;
  baseSize: number;
  status: 'OPEN' | 'FILLED' | 'CANCELLED' | 'EXPIRED' | 'FAILED';
  created: number;
  fills: MockFill[];
  cancelMessage: string;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  /** ms when the request arrived, and when its answer went out (0: none yet) */
  at: number;
  answeredAt: number;
  status: number;
}

interface StreamConn {
  ws: WebSocket;
  seq: number;
  user: boolean;
  heartbeat?: NodeJS.Timeout;
  beats: number;
}

const USER_ID = '3333-333333-3333333';
const SKEW_S = 5;
const FMT = 8;

export class CoinbaseExecMock {
  restUrl = '';
  wsUrl = '';
  host = '';
  readonly orders = new Map<string, MockOrder>();
  readonly requests: RequestRecord[] = [];
  /** why each refused token was refused, in order */
  readonly authFailures: string[] = [];
  /** every token presented (REST and stream), for tests that look for leaks */
  readonly tokens: string[] = [];
  streamConnections = 0;
  private readonly keys = new Map<string, KeyObject>();
  private readonly placeFaults: PlaceFault[] = [];
  private readonly faults: Array<{ method?: string; path: RegExp; fault: Fault }> = [];
  private readonly conns = new Set<StreamConn>();
  private refusing = false;
  private loseUpdates = 0;
  private tradeSeq = 1_000_000;
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  private constructor(private readonly heartbeatMs: number) {
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.http, verifyClient: (_info, cb) => (this.refusing ? cb(false, 503) : cb(true)) });
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  static async start(opts: { heartbeatMs?: number } = {}): Promise<CoinbaseExecMock> {
    const m = new CoinbaseExecMock(opts.heartbeatMs ?? 100);
    await new Promise<void>((resolve) => m.http.listen(0, '127.0.0.1', resolve));
    const { port } = m.http.address() as AddressInfo;
    m.host = `127.0.0.1:${port}`;
    m.restUrl = `http://${m.host}`;
    m.wsUrl = `ws://${m.host}`;
    return m;
  }

  registerKey(name: string, publicKey: KeyObject): void {
    this.keys.set(name, publicKey);
  }

  // ---- test controls ----------------------------------------------------------------------------

  /** The next placement request meets this fault. */
  failPlace(fault: PlaceFault): void {
    this.placeFaults.push(fault);
  }

  /** The next request matching (method, path) meets this fault. */
  inject(fault: Fault, path: RegExp, method?: string): void {
    this.faults.push({ method, path, fault });
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

  ordersWithClientId(clientOrderId: string): MockOrder[] {
    return [...this.orders.values()].filter((o) => o.client_order_id === clientOrderId);
  }

  byClientId(clientOrderId: string): MockOrder {
    const o = this.ordersWithClientId(clientOrderId)[0];
    if (!o) throw new Error(`mock: no order ${clientOrderId}`);
    return o;
  }

  placements(): RequestRecord[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/brokerage/orders');
  }

  /** An execution against a working order; FILLED once nothing is left. */
  fill(clientOrderId: string, f: { size: string; price: string; liquidity?: 'MAKER' | 'TAKER'; commission?: string }): MockFill {
    const o = this.byClientId(clientOrderId);
    if (o.status !== 'OPEN') throw new Error(`mock: order ${clientOrderId} is ${o.status}`);
    const size = Number(f.size);
    if (!(size > 0) || filledOf(o) + size > o.baseSize + 1e-12) throw new Error(`mock: fill of ${f.size} does not fit order ${clientOrderId}`);
    const now = new Date().toISOString();
    const trade = String(++this.tradeSeq);
    const fill: MockFill = {
      entry_id: randomUUID(), trade_id: trade, order_id: o.order_id, trade_time: now, trade_type: 'FILL', price: f.price, size: f.size,
      commission: f.commission ?? '0.01', product_id: o.product_id, sequence_timestamp: now, liquidity_indicator: f.liquidity ?? 'MAKER',
      size_in_quote: false, user_id: USER_ID, side: o.side, retail_portfolio_id: '',
    };
    o.fills.push(fill);
    if (filledOf(o) >= o.baseSize - 1e-12) o.status = 'FILLED';
    this.publish(o);
    return fill;
  }

  /** The venue ends the order by itself (IOC remainder, self-trade prevention, …). */
  endAtVenue(clientOrderId: string, status: 'CANCELLED' | 'EXPIRED', message: string): void {
    const o = this.byClientId(clientOrderId);
    o.status = status;
    o.cancelMessage = message;
    this.publish(o);
  }

  /** Every stream connection is cut (code 1006). */
  dropStream(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  /** While on, new stream connections are refused (HTTP 503 on the upgrade). */
  refuseStream(on: boolean): void {
    this.refusing = on;
  }

  /** The next `n` user-channel updates are lost on the way (their sequence numbers are used). */
  loseNextUpdates(n: number): void {
    this.loseUpdates += n;
  }

  get liveStreams(): number {
    return [...this.conns].filter((c) => c.user).length;
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

  // ---- REST -------------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    const method = req.method ?? 'GET';
    const record: RequestRecord = { method, path: url.pathname, query: url.search, at: Date.now(), answeredAt: 0, status: 0 };
    this.requests.push(record);
    const body = await readBody(req);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      record.answeredAt = Date.now();
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/json', ...headers });
      res.end(text);
    };
    this.tokens.push((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const refused = this.checkJwt(req.headers.authorization, `${method} ${req.headers.host ?? ''}${url.pathname}`);
    if (refused) {
      this.authFailures.push(refused);
      return reply(401, 'Unauthorized\n');
    }
    const fault = this.takeFault(method, url.pathname);
    if (fault && this.applyFault(fault, req, reply)) return;

    const path = url.pathname;
    if (method === 'POST' && path === '/api/v3/brokerage/orders') return this.create(body, req, reply);
    if (method === 'POST' && path === '/api/v3/brokerage/orders/batch_cancel') return this.cancel(body, reply);
    if (method === 'GET' && path === '/api/v3/brokerage/orders/historical/batch') return this.list(url.searchParams, reply);
    if (method === 'GET' && path === '/api/v3/brokerage/orders/historical/fills') return this.listFills(url.searchParams, reply);
    const one = /^\/api\/v3\/brokerage\/orders\/historical\/([^/]+)$/.exec(path);
    if (method === 'GET' && one) {
      const o = this.orders.get(decodeURIComponent(one[1]!));
      if (!o) return reply(404, { error: 'NOT_FOUND', error_details: 'order with this orderID was not found', message: 'order with this orderID was not found' });
      return reply(200, { order: restOrder(o) });
    }
    reply(404, { error: 'NOT_FOUND', error_details: 'no such route', message: 'no such route' });
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => (!f.method || f.method === method) && f.path.test(path));
    return i < 0 ? undefined : this.faults.splice(i, 1)[0]!.fault;
  }

  /** Returns true when the fault consumed the request. */
  private applyFault(f: Fault, req: IncomingMessage, reply: (s: number, p: unknown, h?: Record<string, string>) => void): boolean {
    switch (f.kind) {
      case 'timeout':
        return true; // held until the client gives up or the mock closes
      case 'drop':
        req.socket.destroy();
        return true;
      case 'server-error':
        reply(f.status ?? 500, { error: 'INTERNAL', error_details: 'internal server error', message: 'internal server error' });
        return true;
      case 'rate-limit':
        reply(429, { error: 'RATE_LIMIT_EXCEEDED', error_details: 'Too many requests', message: 'Too many requests' }, { 'retry-after': String(f.retryAfterS) });
        return true;
    }
  }

  private create(text: string, req: IncomingMessage, reply: (s: number, p: unknown, h?: Record<string, string>) => void): void {
    let b: { client_order_id?: unknown; product_id?: unknown; side?: unknown; order_configuration?: unknown };
    try {
      b = JSON.parse(text);
    } catch {
      return reply(400, { error: 'INVALID_ARGUMENT', error_details: 'body is not JSON', message: 'body is not JSON' });
    }
    const configs = b.order_configuration && typeof b.order_configuration === 'object' ? Object.entries(b.order_configuration as Record<string, Record<string, unknown>>) : [];
    const [configName, config] = configs[0] ?? [];
    const baseSize = Number(config?.base_size);
    if (typeof b.client_order_id !== 'string' || !b.client_order_id || typeof b.product_id !== 'string' || (b.side !== 'BUY' && b.side !== 'SELL') || configs.length !== 1 || !(baseSize > 0)) {
      return reply(400, { error: 'INVALID_ARGUMENT', error_details: 'client_order_id, product_id, side and one order_configuration with base_size are required', message: 'invalid request' });
    }
    const existing = this.ordersWithClientId(b.client_order_id)[0];
    if (existing) return reply(200, created(existing)); // the venue answers a repeated client id with the order it has
    const fault = this.placeFaults.shift();
    if (fault?.kind === 'reject') {
      return reply(200, {
        success: false, failure_reason: 'UNKNOWN_FAILURE_REASON', order_id: '',
        error_response: { error: fault.error, message: fault.message, error_details: '', preview_failure_reason: fault.preview, new_order_failure_reason: fault.error },
        order_configuration: b.order_configuration,
      });
    }
    const make = () => {
      const o: MockOrder = {
        order_id: randomUUID(), client_order_id: b.client_order_id as string, product_id: b.product_id as string, side: b.side as 'BUY' | 'SELL',
        config: { [configName!]: config! }, baseSize, status: 'OPEN', created: Date.now(), fills: [], cancelMessage: '',
      };
      this.orders.set(o.order_id, o);
      this.publish(o);
      return o;
    };
    if (fault) {
      if (fault.create) make();
      this.applyFault(fault, req, reply);
      return;
    }
    reply(200, created(make()));
  }

  private cancel(text: string, reply: (s: number, p: unknown) => void): void {
    let ids: unknown;
    try {
      ids = (JSON.parse(text) as { order_ids?: unknown }).order_ids;
    } catch {
      ids = undefined;
    }
    if (!Array.isArray(ids)) return reply(400, { error: 'INVALID_ARGUMENT', error_details: 'order_ids is required', message: 'invalid request' });
    const results = ids.map((id: unknown) => {
      const o = this.orders.get(String(id));
      if (!o) return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: String(id) };
      if (o.status !== 'OPEN') return { success: false, failure_reason: o.status === 'CANCELLED' ? 'DUPLICATE_CANCEL_REQUEST' : 'UNKNOWN_CANCEL_ORDER', order_id: o.order_id };
      o.status = 'CANCELLED';
      o.cancelMessage = 'User requested cancel';
      this.publish(o);
      return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: o.order_id };
    });
    reply(200, { results });
  }

  private list(q: URLSearchParams, reply: (s: number, p: unknown) => void): void {
    const statuses = q.getAll('order_status');
    const products = q.getAll('product_ids');
    const ids = q.getAll('order_ids');
    const start = q.get('start_date') ? Date.parse(q.get('start_date')!) : -Infinity;
    const limit = Number(q.get('limit') ?? 100);
    const offset = Number(q.get('cursor') || 0);
    const all = [...this.orders.values()]
      .filter((o) => (!statuses.length || statuses.includes(o.status)) && (!products.length || products.includes(o.product_id)) && (!ids.length || ids.includes(o.order_id)) && o.created >= start)
      .sort((a, b) => b.created - a.created);
    const page = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    reply(200, { orders: page.map(restOrder), sequence: '0', has_next: more, cursor: more ? String(offset + limit) : '' });
  }

  private listFills(q: URLSearchParams, reply: (s: number, p: unknown) => void): void {
    const ids = [...q.getAll('order_ids'), ...q.getAll('order_id')];
    const limit = Number(q.get('limit') ?? 100);
    const offset = Number(q.get('cursor') || 0);
    const all = [...this.orders.values()]
      .filter((o) => !ids.length || ids.includes(o.order_id))
      .flatMap((o) => o.fills)
      .sort((a, b) => (a.trade_time < b.trade_time ? 1 : a.trade_time > b.trade_time ? -1 : 0)); // newest first, as the venue lists them
    const page = all.slice(offset, offset + limit);
    reply(200, { fills: page, cursor: offset + limit < all.length ? String(offset + limit) : '' });
  }

  // ---- JWT --------------------------------------------------------------------------------------

  /** Why the token is refused, or null when the venue would accept it. `uri` null: a WebSocket token. */
  checkJwt(authorization: string | undefined, uri: string | null): string | null {
    let token: string;
    if (uri === null) token = authorization ?? '';
    else {
      const m = /^Bearer (\S+)$/.exec(authorization ?? '');
      if (!m) return 'no bearer token';
      token = m[1]!;
    }
    const parts = token.split('.');
    if (parts.length !== 3) return 'not a compact JWS';
    let header: Record<string, unknown>, payload: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      return 'header or payload is not JSON';
    }
    if (header.alg !== 'ES256') return `alg ${String(header.alg)}`;
    if (header.typ !== 'JWT') return `typ ${String(header.typ)}`;
    if (typeof header.nonce !== 'string' || !/^[0-9a-f]{16,}$/.test(header.nonce)) return 'no hex nonce';
    const key = typeof header.kid === 'string' ? this.keys.get(header.kid) : undefined;
    if (!key) return 'unknown kid';
    const signature = Buffer.from(parts[2]!, 'base64url');
    if (signature.length !== 64 || !verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key, dsaEncoding: 'ieee-p1363' }, signature)) return 'bad signature';
    if (payload.iss !== 'cdp') return `iss ${String(payload.iss)}`;
    if (payload.sub !== header.kid) return 'sub is not kid';
    const now = Date.now() / 1000;
    const nbf = Number(payload.nbf), exp = Number(payload.exp);
    if (!Number.isInteger(nbf) || !Number.isInteger(exp)) return 'nbf/exp missing';
    if (nbf > now + SKEW_S) return 'not yet valid';
    if (exp <= now - SKEW_S) return 'expired';
    if (exp - nbf > 120) return 'lives longer than 120 s';
    if (uri !== null && payload.uri !== uri) return `uri "${String(payload.uri)}" is not "${uri}"`;
    return null;
  }

  // ---- user channel -----------------------------------------------------------------------------

  private onConnection(ws: WebSocket): void {
    this.streamConnections++;
    const c: StreamConn = { ws, seq: 0, user: false, beats: 0 };
    this.conns.add(c);
    ws.on('message', (data) => this.onStreamMessage(c, data.toString()));
    ws.on('close', () => {
      clearInterval(c.heartbeat);
      this.conns.delete(c);
    });
    ws.on('error', () => {});
  }

  private onStreamMessage(c: StreamConn, text: string): void {
    let msg: { type?: unknown; channel?: unknown; jwt?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return this.wsError(c, 'malformed JSON');
    }
    if (msg.type !== 'subscribe') return this.wsError(c, `unsupported message type ${String(msg.type)}`);
    if (typeof msg.jwt === 'string') this.tokens.push(msg.jwt);
    if (msg.channel === 'user') {
      const refused = this.checkJwt(typeof msg.jwt === 'string' ? msg.jwt : undefined, null);
      if (refused) {
        this.authFailures.push(`ws: ${refused}`);
        return this.wsError(c, 'authentication failure');
      }
      c.user = true;
    } else if (msg.channel === 'heartbeats') {
      clearInterval(c.heartbeat);
      c.heartbeat = setInterval(() => this.send(c, 'heartbeats', [{ current_time: new Date().toISOString(), heartbeat_counter: ++c.beats }]), this.heartbeatMs);
    } else {
      return this.wsError(c, `Failed to subscribe: unknown channel ${String(msg.channel)}`);
    }
    this.send(c, 'subscriptions', [{ subscriptions: { heartbeats: c.heartbeat ? ['heartbeats'] : [], user: c.user ? [USER_ID] : [] } }]);
    if (msg.channel === 'user') {
      const open = [...this.orders.values()].filter((o) => o.status === 'OPEN').map(wsOrder);
      this.send(c, 'user', [{ type: 'snapshot', orders: open, positions: { perpetual_futures_positions: [], expiring_futures_positions: [] } }]);
    }
  }

  private publish(o: MockOrder): void {
    const lose = this.loseUpdates > 0;
    if (lose) this.loseUpdates--;
    for (const c of this.conns) {
      if (!c.user) continue;
      if (lose) c.seq++;
      else this.send(c, 'user', [{ type: 'update', orders: [wsOrder(o)] }]);
    }
  }

  private send(c: StreamConn, channel: string, events: unknown[]): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    c.ws.send(JSON.stringify({ channel, client_id: '', timestamp: new Date().toISOString(), sequence_num: c.seq++, events }));
  }

  private wsError(c: StreamConn, message: string): void {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify({ type: 'error', message }));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

const filledOf = (o: MockOrder) => o.fills.reduce((s, f) => s + Number(f.size), 0);
const feesOf = (o: MockOrder) => o.fills.reduce((s, f) => s + Number(f.commission), 0);
const valueOf = (o: MockOrder) => o.fills.reduce((s, f) => s + Number(f.size) * Number(f.price), 0);
const avgOf = (o: MockOrder) => (filledOf(o) > 0 ? valueOf(o) / filledOf(o) : 0);

function created(o: MockOrder) {
  return {
    success: true, failure_reason: 'UNKNOWN_FAILURE_REASON', order_id: o.order_id,
    success_response: { order_id: o.order_id, product_id: o.product_id, side: o.side, client_order_id: o.client_order_id },
    order_configuration: o.config,
  };
}

const orderType = (o: MockOrder) => {
  const name = Object.keys(o.config)[0] ?? '';
  return name.startsWith('market') ? 'MARKET' : name.startsWith('stop_limit') ? 'STOP_LIMIT' : 'LIMIT';
};

/** An order as GET /orders/historical/{id} and the list answer it. */
function restOrder(o: MockOrder) {
  const filled = filledOf(o);
  return {
    order_id: o.order_id, product_id: o.product_id, user_id: USER_ID, order_configuration: o.config, side: o.side, client_order_id: o.client_order_id,
    status: o.status, time_in_force: 'GOOD_UNTIL_CANCELLED', created_time: new Date(o.created).toISOString(),
    completion_percentage: ((100 * filled) / o.baseSize).toFixed(2), filled_size: filled.toFixed(FMT), average_filled_price: avgOf(o).toFixed(FMT),
    fee: '', number_of_fills: String(o.fills.length), filled_value: valueOf(o).toFixed(FMT), pending_cancel: false, size_in_quote: false,
    total_fees: feesOf(o).toFixed(FMT), size_inclusive_of_fees: false, total_value_after_fees: valueOf(o).toFixed(FMT), trigger_status: 'INVALID_ORDER_TYPE',
    order_type: orderType(o), reject_reason: 'REJECT_REASON_UNSPECIFIED', settled: false, product_type: 'SPOT', reject_message: '',
    cancel_message: o.cancelMessage, order_placement_source: 'RETAIL_ADVANCED', outstanding_hold_amount: '0', is_liquidation: false,
    last_fill_time: o.fills.at(-1)?.trade_time ?? null, leverage: '', margin_type: 'UNKNOWN_MARGIN_TYPE', retail_portfolio_id: '',
    originating_order_id: '', attached_order_id: '',
  };
}

/** An order as the user channel reports it. */
function wsOrder(o: MockOrder) {
  const filled = filledOf(o);
  return {
    order_id: o.order_id, client_order_id: o.client_order_id, cumulative_quantity: filled.toFixed(FMT), leaves_quantity: (o.baseSize - filled).toFixed(FMT),
    avg_price: avgOf(o).toFixed(FMT), total_fees: feesOf(o).toFixed(FMT), status: o.status, product_id: o.product_id,
    creation_time: new Date(o.created).toISOString(), order_side: o.side, order_type: orderType(o), cancel_reason: o.cancelMessage, reject_reason: '',
    total_value_after_fees: valueOf(o).toFixed(FMT), contract_expiry_type: 'UNKNOWN_CONTRACT_EXPIRY_TYPE', product_type: 'SPOT',
    risk_managed_by: 'UNKNOWN_RISK_MANAGEMENT_TYPE', time_in_force: 'GOOD_UNTIL_CANCELLED', trigger_status: 'INVALID_ORDER_TYPE',
  };
}

/**
 * A mock of OANDA v20's private API on 127.0.0.1, from the official spec
 * (https://github.com/oanda/v20-openapi, json/v20.json) and the docs:
 *   POST /v3/accounts/{id}/orders                      https://developer.oanda.com/rest-live-v20/order-ep/
 *   GET  /v3/accounts/{id}/orders/{specifier}          ("@<clientID>" or the order id)
 *   PUT  /v3/accounts/{id}/orders/{specifier}/cancel
 *   GET  /v3/accounts/{id}/pendingOrders
 *   GET  /v3/accounts/{id}/transactions/sinceid?id=N   https://developer.oanda.com/rest-live-v20/transaction-ep/
 *   GET  /v3/accounts/{id}/transactions/{transactionID}
 *   GET  /v3/accounts/{id}/transactions/stream         (JSON lines; HEARTBEAT with lastTransactionID)
 *
 * Every request is checked as OANDA would: `Authorization: Bearer <token>` or 401 with OANDA's
 * body ({"errorMessage":"Insufficient authorization to perform request."}), plus the documented
 * `Content-Type: application/json` and `Accept-Datetime-Format: RFC3339` (else 400, and the
 * request is recorded in `headerFaults`). The mock keeps one account's transaction log (ids
 * sequential, an order's id = its create transaction's id) and its orders, and has a switch for
 * every fault the tests inject: rejects, no answer (with or without the order having been
 * made), 429 with Retry-After, 5xx, dropped connections, the stream going down, and transactions
 * left off the stream.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

export const UNAUTHORIZED = readFileSync(new URL('../../test_data/error-401.json', import.meta.url), 'utf8').trim();
const INSTRUMENTS = (JSON.parse(readFileSync(new URL('../../test_data/instruments.json', import.meta.url), 'utf8')) as { instruments: Array<{ name: string; displayPrecision: number; tradeUnitsPrecision: number }> }).instruments;

export type Tx = Record<string, unknown> & { id: string; type: string; time: string };

export interface MockOrder {
  id: string;
  createTime: string;
  state: 'PENDING' | 'FILLED' | 'TRIGGERED' | 'CANCELLED';
  type: string;
  instrument: string;
  units: string;
  price?: string;
  priceBound?: string;
  timeInForce: string;
  positionFill: string;
  clientExtensions?: { id: string };
  filledUnits: number;
  fillingTransactionID?: string;
  filledTime?: string;
  cancellingTransactionID?: string;
  cancelledTime?: string;
}

export type Endpoint = 'place' | 'get' | 'cancel' | 'pending' | 'since' | 'stream';
export type Fault =
  /** the order is refused with this reject reason (400 with `orderRejectTransaction`) */
  | { kind: 'reject'; reason: string; message?: string }
  /** no answer at all; `reach`: the request was acted on before the silence */
  | { kind: 'timeout'; reach?: boolean }
  /** this status (429, 5xx, …) with OANDA's error body; `reach`: acted on first */
  | { kind: 'status'; status: number; retryAfter?: string; reach?: boolean }
  /** the connection is reset without an answer; `reach`: acted on first */
  | { kind: 'drop'; reach?: boolean };

export interface RequestLog {
  method: string;
  path: string;
  at: number;
  headers: http.IncomingHttpHeaders;
  body?: string;
}

export interface FillSpec {
  units: number;
  price: string;
  commission?: string;
  /** split the fill into a trade reduced and a trade opened at these prices */
  legs?: Array<{ units: number; price: string }>;
}

const isoNow = (() => {
  let last = 0;
  return (): string => {
    const us = Math.max(Math.floor((performance.timeOrigin + performance.now()) * 1000), last + 1);
    last = us;
    const iso = new Date(Math.floor(us / 1000)).toISOString().slice(0, 19);
    return `${iso}.${String(us % 1_000_000).padStart(6, '0')}000Z`;
  };
})();

export class OandaExecMock {
  readonly token: string;
  readonly accountId: string;
  url = '';
  readonly requests: RequestLog[] = [];
  /** requests refused for their headers (never expected) */
  readonly headerFaults: string[] = [];
  authFailures = 0;
  streamRequests = 0;
  readonly log: Tx[] = [];
  readonly orders = new Map<string, MockOrder>();
  /** where market orders and immediate fills go */
  marketPrice: Record<string, string> = { EUR_USD: '1.10020', USD_JPY: '150.123' };
  /** market orders are cancelled with this reason instead of filled (e.g. INSUFFICIENT_MARGIN) */
  marketCancelReason: string | null = null;
  /** IOC/FOK limit orders fill this many units at once, the rest is cancelled (INSUFFICIENT_LIQUIDITY) */
  immediateUnits = 0;
  /** most transactions one sinceid answer carries */
  sincePage = 1000;
  private nextId: number;
  private readonly faults = new Map<Endpoint, Fault[]>();
  private readonly streams = new Set<http.ServerResponse>();
  private readonly held = new Set<http.ServerResponse>();
  private streamRefused = false;
  private hidden = 0;
  private readonly server: http.Server;
  private beat: NodeJS.Timeout | undefined;

  private constructor(opts: { token?: string; accountId?: string; heartbeatMs?: number; firstTransactionId?: number }) {
    this.token = opts.token ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f90-0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    this.accountId = opts.accountId ?? '101-004-1234567-001';
    this.nextId = opts.firstTransactionId ?? 6357;
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  static async start(opts: { token?: string; accountId?: string; heartbeatMs?: number; firstTransactionId?: number } = {}): Promise<OandaExecMock> {
    const mock = new OandaExecMock(opts);
    await new Promise<void>((resolve) => mock.server.listen(0, '127.0.0.1', resolve));
    mock.url = `http://127.0.0.1:${(mock.server.address() as AddressInfo).port}`;
    mock.beat = setInterval(() => mock.heartbeat(), opts.heartbeatMs ?? 100);
    return mock;
  }

  async close(): Promise<void> {
    clearInterval(this.beat);
    for (const s of this.streams) s.destroy();
    for (const h of this.held) h.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get lastTransactionID(): string {
    return String(this.nextId - 1);
  }

  // ---- switches -------------------------------------------------------------------------------

  /** The next request(s) to `endpoint` meet these faults, in order. */
  failNext(endpoint: Endpoint, ...faults: Fault[]): void {
    this.faults.set(endpoint, [...(this.faults.get(endpoint) ?? []), ...faults]);
  }

  /** After a test: injected faults cleared, the private stream accepted again. */
  reset(): void {
    this.clearFaults();
    this.streamUp();
  }

  /** requests refused for their token, and requests missing a header OANDA requires */
  misuse(): readonly string[] {
    return [...(this.authFailures ? [`${this.authFailures} request(s) refused for the token`] : []), ...this.headerFaults];
  }

  clearFaults(): void {
    this.faults.clear();
    this.hidden = 0;
  }

  /** Open streams are cut, and new ones refused (503) until `streamUp()`. */
  streamDown(): void {
    this.streamRefused = true;
    for (const s of this.streams) s.socket?.destroy();
  }

  streamUp(): void {
    this.streamRefused = false;
  }

  /** The next `n` transactions go into the log but not onto the stream. */
  hideFromStream(n: number): void {
    this.hidden = n;
  }

  /** A line written to every open stream as it is (garbage, a truncated transaction, …). */
  sendRaw(line: string): void {
    this.broadcast(line);
  }

  get openStreams(): number {
    return this.streams.size;
  }

  ordersWithClientId(cid: string): MockOrder[] {
    return [...this.orders.values()].filter((o) => o.clientExtensions?.id === cid);
  }

  byClientId(cid: string): MockOrder {
    const found = this.ordersWithClientId(cid);
    if (found.length !== 1) throw new Error(`mock has ${found.length} orders with client id ${cid}`);
    return found[0]!;
  }

  requestsTo(method: string, pathEnd: RegExp): RequestLog[] {
    return this.requests.filter((r) => r.method === method && pathEnd.test(r.path));
  }

  /** Acts on an earlier request now, as if it had been delayed in the network (its answer goes nowhere). */
  deliverLate(r: RequestLog): void {
    const url = new URL(r.path, 'http://mock');
    this.route(r.method, url.pathname.slice(`/v3/accounts/${this.accountId}`.length), url, r.body ?? '', null, () => {});
  }

  /** The venue fills (part of) a pending order, as its matching engine would. */
  fill(cid: string, spec: FillSpec): Tx {
    const o = this.byClientId(cid);
    if (o.state !== 'PENDING') throw new Error(`mock: order ${cid} is ${o.state}`);
    return this.fillOrder(o, spec);
  }

  /** The venue cancels a pending order itself (TIME_IN_FORCE_EXPIRED, MARKET_HALTED, …). */
  cancelAtVenue(cid: string, reason: string): Tx {
    const o = this.byClientId(cid);
    return this.cancelOrder(o, reason);
  }

  // ---- the account ----------------------------------------------------------------------------

  private append(fields: Record<string, unknown> & { type: string }): Tx {
    const tx = { id: String(this.nextId++), time: isoNow(), userID: 1234567, accountID: this.accountId, batchID: '', requestID: `2${this.nextId}`, ...fields } as Tx;
    tx.batchID = tx.id;
    this.log.push(tx);
    if (this.hidden > 0) this.hidden--;
    else this.broadcast(JSON.stringify(tx));
    return tx;
  }

  private fillOrder(o: MockOrder, spec: FillSpec): Tx {
    const sign = o.units.startsWith('-') ? -1 : 1;
    const legs = spec.legs ?? [{ units: spec.units, price: spec.price }];
    const [reduced, opened] = legs.length > 1 ? [legs[0]!, legs[1]!] : [null, legs[0]!];
    const tx = this.append({
      type: 'ORDER_FILL', orderID: o.id, clientOrderID: o.clientExtensions?.id, instrument: o.instrument,
      units: String(sign * spec.units), gainQuoteHomeConversionFactor: '1', lossQuoteHomeConversionFactor: '1',
      price: spec.price, fullVWAP: spec.price,
      fullPrice: { type: 'PRICE', bids: [{ price: spec.price, liquidity: '10000000' }], asks: [{ price: spec.price, liquidity: '10000000' }], closeoutBid: spec.price, closeoutAsk: spec.price },
      reason: o.type === 'MARKET' ? 'MARKET_ORDER' : `${o.type}_ORDER`, pl: '0.0000', financing: '0.0000', commission: spec.commission ?? '0.0000',
      guaranteedExecutionFee: '0.0000', accountBalance: '100000.0000',
      ...(reduced ? { tradeReduced: { tradeID: '6000', units: String(-sign * reduced.units), price: reduced.price, realizedPL: '0.0000', financing: '0.0000', guaranteedExecutionFee: '0.0000', halfSpreadCost: '0.0100' } } : {}),
      tradeOpened: { tradeID: String(this.nextId), units: String(sign * opened.units), price: opened.price, guaranteedExecutionFee: '0.0000', halfSpreadCost: '0.0100', initialMarginRequired: '33.0000' },
      halfSpreadCost: '0.0100',
    });
    o.filledUnits += spec.units;
    if (o.filledUnits >= Math.abs(Number(o.units))) {
      o.state = 'FILLED';
      o.fillingTransactionID = tx.id;
      o.filledTime = tx.time;
    }
    return tx;
  }

  private cancelOrder(o: MockOrder, reason: string): Tx {
    if (o.state !== 'PENDING') throw new Error(`mock: order ${o.id} is ${o.state}`);
    const tx = this.append({ type: 'ORDER_CANCEL', orderID: o.id, clientOrderID: o.clientExtensions?.id, reason });
    o.state = 'CANCELLED';
    o.cancellingTransactionID = tx.id;
    o.cancelledTime = tx.time;
    return tx;
  }

  /** POST /orders: validates like OANDA, then creates (and for market/IOC orders fills or cancels) it. */
  private createOrder(body: unknown): { status: number; body: Record<string, unknown> } {
    const spec = (body as { order?: Record<string, unknown> } | null)?.order;
    if (!spec || typeof spec !== 'object') return { status: 400, body: { errorMessage: 'The request was missing required data' } };
    const type = String(spec.type ?? '');
    const cid = (spec.clientExtensions as { id?: string } | undefined)?.id;
    const reject = (rejectReason: string, errorMessage: string) => {
      const tx = this.append({ ...spec, type: `${type || 'MARKET'}_ORDER_REJECT`, reason: 'CLIENT_ORDER', rejectReason });
      return { status: 400, body: { orderRejectTransaction: tx, relatedTransactionIDs: [tx.id], lastTransactionID: tx.id, errorCode: rejectReason, errorMessage } };
    };
    const inst = INSTRUMENTS.find((i) => i.name === spec.instrument);
    if (!inst) return { status: 400, body: { errorMessage: "Invalid value specified for 'instrument'" } };
    if (!['LIMIT', 'MARKET', 'STOP'].includes(type)) return { status: 400, body: { errorMessage: "Invalid value specified for 'type'" } };
    const units = String(spec.units ?? '');
    if (!/^-?\d+$/.test(units) || Number(units) === 0) return reject('UNITS_INVALID', 'The units specified is invalid');
    const precise = (v: unknown) => typeof v === 'string' && new RegExp(`^\\d+(\\.\\d{1,${inst.displayPrecision}})?$`).test(v);
    if (type !== 'MARKET' && !precise(spec.price)) return reject('PRICE_PRECISION_EXCEEDED', 'The price specified contains more precision than is allowed');
    if (spec.priceBound !== undefined && !precise(spec.priceBound)) return reject('PRICE_BOUND_PRECISION_EXCEEDED', 'The price bound specified contains more precision than is allowed');
    const tif = String(spec.timeInForce ?? (type === 'MARKET' ? 'FOK' : 'GTC'));
    if (type === 'MARKET' && tif !== 'FOK' && tif !== 'IOC') return reject('TIME_IN_FORCE_INVALID', 'The time-in-force specified is invalid');
    if (cid !== undefined && this.ordersWithClientId(cid).length > 0) return reject('CLIENT_ORDER_ID_ALREADY_EXISTS', 'The client Order ID specified is already assigned to another Order');
    const pending = this.faults.get('place')?.[0];
    if (pending?.kind === 'reject') {
      this.faults.get('place')!.shift();
      return reject(pending.reason, pending.message ?? pending.reason);
    }
    const create = this.append({ ...spec, type: `${type}_ORDER`, timeInForce: tif, positionFill: spec.positionFill ?? 'DEFAULT', reason: 'CLIENT_ORDER' });
    const o: MockOrder = {
      id: create.id, createTime: create.time, state: 'PENDING', type, instrument: inst.name, units, timeInForce: tif, positionFill: String(spec.positionFill ?? 'DEFAULT'),
      filledUnits: 0, ...(spec.price !== undefined ? { price: String(spec.price) } : {}), ...(spec.priceBound !== undefined ? { priceBound: String(spec.priceBound) } : {}),
      ...(cid !== undefined ? { clientExtensions: { id: cid } } : {}),
    };
    this.orders.set(o.id, o);
    const out: Record<string, unknown> = { orderCreateTransaction: create };
    const size = Math.abs(Number(units));
    if (type === 'MARKET') {
      if (this.marketCancelReason) out.orderCancelTransaction = this.cancelOrder(o, this.marketCancelReason);
      else out.orderFillTransaction = this.fillOrder(o, { units: size, price: this.marketPrice[inst.name] ?? '1.00000' });
    } else if (type === 'LIMIT' && (tif === 'IOC' || tif === 'FOK')) {
      const n = tif === 'FOK' && this.immediateUnits < size ? 0 : Math.min(this.immediateUnits, size);
      if (n > 0) out.orderFillTransaction = this.fillOrder(o, { units: n, price: String(spec.price) });
      if (o.state === 'PENDING') out.orderCancelTransaction = this.cancelOrder(o, 'INSUFFICIENT_LIQUIDITY');
    }
    out.relatedTransactionIDs = Object.values(out).map((t) => (t as Tx).id);
    out.lastTransactionID = this.lastTransactionID;
    return { status: 201, body: out };
  }

  private orderView(o: MockOrder): Record<string, unknown> {
    const { filledUnits: _f, ...rest } = o;
    return { ...rest, triggerCondition: 'DEFAULT' };
  }

  private find(specifier: string): MockOrder | undefined {
    if (specifier.startsWith('@')) return this.ordersWithClientId(decodeURIComponent(specifier.slice(1)))[0];
    return this.orders.get(specifier);
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, text: string): void {
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname;
    this.requests.push({ method: req.method ?? '', path: `${path}${url.search}`, at: Date.now(), headers: req.headers, ...(text ? { body: text } : {}) });
    if (path.endsWith('/transactions/stream')) this.streamRequests++;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', RequestID: String(this.requests.length), ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      this.authFailures++;
      return json(401, UNAUTHORIZED);
    }
    const headerFault = req.headers['content-type'] !== 'application/json' ? `Content-Type ${String(req.headers['content-type'])}`
      : req.headers['accept-datetime-format'] !== 'RFC3339' ? `Accept-Datetime-Format ${String(req.headers['accept-datetime-format'])}` : null;
    if (headerFault) {
      this.headerFaults.push(`${req.method} ${path}: ${headerFault}`);
      return json(400, { errorMessage: `Invalid value specified for '${headerFault.split(' ')[0]}'` });
    }
    const prefix = `/v3/accounts/${this.accountId}`;
    if (!path.startsWith(`${prefix}/`)) {
      return path.startsWith('/v3/accounts/') ? json(403, { errorMessage: 'The provided request was forbidden.' }) : json(404, { errorMessage: 'no such endpoint' });
    }
    const method = req.method ?? '';
    const rest = path.slice(prefix.length);
    const endpoint: Endpoint | null =
      method === 'POST' && rest === '/orders' ? 'place'
        : method === 'PUT' && /^\/orders\/[^/]+\/cancel$/.test(rest) ? 'cancel'
          : method === 'GET' && /^\/orders\/[^/]+$/.test(rest) ? 'get'
            : method === 'GET' && rest === '/pendingOrders' ? 'pending'
              : method === 'GET' && rest === '/transactions/sinceid' ? 'since'
                : method === 'GET' && rest === '/transactions/stream' ? 'stream' : null;
    let fault = endpoint ? this.faults.get(endpoint)?.[0] : undefined;
    if (fault?.kind === 'reject') fault = undefined; // applied inside createOrder, after validation
    else if (fault) this.faults.get(endpoint!)!.shift();
    if (!fault) return this.route(method, rest, url, text, res, json);
    if (fault.reach) this.route(method, rest, url, text, null, () => {});
    if (fault.kind === 'timeout') {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    if (fault.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const body = fault.status === 429 ? { errorMessage: 'Requests are being rate limited' } : { errorMessage: 'An internal server error occurred' };
    json(fault.status, body, fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {});
  }

  /** Does what the request asks; `res` null when only its effect is wanted (a fault answers instead). */
  private route(method: string, rest: string, url: URL, text: string, res: http.ServerResponse | null, json: (status: number, body: unknown) => void): void {
    if (method === 'POST' && rest === '/orders') {
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        return json(400, { errorMessage: 'The request was missing required data' });
      }
      const r = this.createOrder(body);
      return json(r.status, r.body);
    }
    let m = /^\/orders\/([^/]+)\/cancel$/.exec(rest);
    if (method === 'PUT' && m) {
      const o = this.find(m[1]!);
      if (!o) return json(404, { errorCode: 'ORDER_DOESNT_EXIST', errorMessage: 'The Order specified does not exist' });
      if (o.state !== 'PENDING') {
        const tx = this.append({ type: 'ORDER_CANCEL_REJECT', orderID: o.id, clientOrderID: o.clientExtensions?.id, rejectReason: 'ORDER_DOESNT_EXIST' });
        return json(404, { orderCancelRejectTransaction: tx, relatedTransactionIDs: [tx.id], lastTransactionID: tx.id, errorCode: 'ORDER_DOESNT_EXIST', errorMessage: 'The Order specified does not exist' });
      }
      const tx = this.cancelOrder(o, 'CLIENT_REQUEST');
      return json(200, { orderCancelTransaction: tx, relatedTransactionIDs: [tx.id], lastTransactionID: tx.id });
    }
    m = /^\/orders\/([^/]+)$/.exec(rest);
    if (method === 'GET' && m) {
      const o = this.find(m[1]!);
      if (!o) return json(404, { errorCode: 'NO_SUCH_ORDER', errorMessage: 'The order ID specified does not exist' });
      return json(200, { order: this.orderView(o), lastTransactionID: this.lastTransactionID });
    }
    if (method === 'GET' && rest === '/pendingOrders') {
      return json(200, { orders: [...this.orders.values()].filter((o) => o.state === 'PENDING').map((o) => this.orderView(o)), lastTransactionID: this.lastTransactionID });
    }
    if (method === 'GET' && rest === '/transactions/sinceid') {
      const since = Number(url.searchParams.get('id'));
      if (!Number.isInteger(since)) return json(400, { errorMessage: "Invalid value specified for 'id'" });
      return json(200, { transactions: this.log.filter((t) => Number(t.id) > since).slice(0, this.sincePage), lastTransactionID: this.lastTransactionID });
    }
    m = /^\/transactions\/(\d+)$/.exec(rest);
    if (method === 'GET' && m) {
      const tx = this.log.find((t) => t.id === m![1]);
      return tx ? json(200, { transaction: tx, lastTransactionID: this.lastTransactionID }) : json(404, { errorMessage: 'The transaction ID specified does not exist' });
    }
    if (method === 'GET' && rest === '/transactions/stream' && res) {
      if (this.streamRefused) return json(503, { errorMessage: 'Service Unavailable' });
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.flushHeaders();
      this.streams.add(res);
      res.on('close', () => this.streams.delete(res));
      res.write(`${this.heartbeatLine()}\n`);
      return;
    }
    json(404, { errorMessage: 'no such endpoint' });
  }

  private heartbeatLine(): string {
    return JSON.stringify({ type: 'HEARTBEAT', lastTransactionID: this.lastTransactionID, time: isoNow() });
  }

  private heartbeat(): void {
    if (this.streams.size > 0) this.broadcast(this.heartbeatLine());
  }

  private broadcast(line: string): void {
    for (const s of this.streams) if (!s.writableEnded && !s.destroyed) s.write(`${line}\n`);
  }
}

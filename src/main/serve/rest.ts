/**
 * The REST API: a public API other tools rely on, so its shapes are kept stable.
 *   GET /health                          200 while the process lives
 *   GET /ready                           200 once every enabled venue has a live book, else 503 with reasons
 *   GET /api/v1/venues                   [{id, kind, state, symbols, ...status}]
 *   GET /api/v1/books/{venue}/{symbol}?depth=N
 *   GET /api/v1/delta-stats/summary      publisher totals and compression ratio
 *   GET /api/v1/inference                the signal model: provider in use, skipped providers, latency
 */
import type { ServerResponse } from 'node:http';
import type { Engine } from '../engine';
import { formatPrice, formatQty } from '../../shared/instruments';
import type { PriceTicks, Qty } from '../../shared/units';

const MAX_DEPTH = 5000;
const started = Date.now();

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export function handleRest(engine: Engine, path: string, query: URLSearchParams, res: ServerResponse): boolean {
  if (path === '/health') {
    sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) });
    return true;
  }
  if (path === '/ready') {
    const r = engine.readiness();
    sendJson(res, r.ready ? 200 : 503, r);
    return true;
  }
  if (path === '/api/v1/venues') {
    sendJson(res, 200, engine.venueStatus());
    return true;
  }
  if (path === '/api/v1/inference') {
    sendJson(res, 200, engine.inferenceStatus());
    return true;
  }
  if (path === '/api/v1/delta-stats/summary') {
    sendJson(res, 200, deltaSummary(engine));
    return true;
  }
  const m = /^\/api\/v1\/books\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) {
    bookResponse(engine, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), query, res);
    return true;
  }
  if (path.startsWith('/api/')) {
    sendJson(res, 404, { error: `no such endpoint: ${path}` });
    return true;
  }
  return false;
}

/** Publisher totals: how much the coalesced deltas saved against sending full snapshots. */
function deltaSummary(engine: Engine) {
  const s = engine.publisher.stats;
  return {
    ...s,
    /** bytes full snapshots (one per frame sent) would have cost / bytes the deltas cost */
    compressionRatio: s.deltaBytes > 0 ? s.snapshotEquivalentBytes / s.deltaBytes : null,
    /** 1 - delta bytes / snapshot bytes */
    savedFraction: s.snapshotEquivalentBytes > 0 ? 1 - s.deltaBytes / s.snapshotEquivalentBytes : null,
    /** the same against a full snapshot per venue update, the naive stream */
    compressionRatioPerUpdate: s.deltaBytes > 0 ? s.snapshotPerUpdateBytes / s.deltaBytes : null,
    savedFractionPerUpdate: s.snapshotPerUpdateBytes > 0 ? 1 - s.deltaBytes / s.snapshotPerUpdateBytes : null,
    /** venue updates per delta sent */
    updatesPerDelta: s.deltas > 0 ? s.updatesCovered / s.deltas : null,
    /** level changes received per level entry sent */
    coalescingFactor: s.coalescedChanges > 0 ? s.rawChanges / s.coalescedChanges : null,
  };
}

function bookResponse(engine: Engine, venue: string, symbol: string, query: URLSearchParams, res: ServerResponse): void {
  const host = engine.host(venue);
  if (!host) {
    sendJson(res, 404, { error: `unknown venue "${venue}"`, venues: engine.hosts.map((h) => h.venue) });
    return;
  }
  const mb = host.bookOf(symbol);
  if (!mb) {
    sendJson(res, 404, { error: `venue ${venue} has no symbol "${symbol}"`, symbols: host.symbols });
    return;
  }
  const rawDepth = query.get('depth');
  const depth = rawDepth === null ? 20 : Number(rawDepth);
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
    sendJson(res, 400, { error: `depth must be an integer from 1 to ${MAX_DEPTH}, got "${rawDepth}"` });
    return;
  }
  const side = (s: 0 | 1): [string, string][] => {
    const n = Math.min(depth, mb.book.depth(s));
    const out: [string, string][] = [];
    for (let i = 0; i < n; i++) {
      out.push([formatPrice(mb.book.priceAt(s, i) as PriceTicks, mb.precision), formatQty(mb.book.qtyAt(s, i) as Qty, mb.precision)]);
    }
    return out;
  };
  sendJson(res, 200, {
    venue,
    symbol,
    version: mb.version,
    stale: mb.stale,
    ...(mb.stale ? { staleReason: mb.staleReason } : {}),
    bids: side(0),
    asks: side(1),
  });
}

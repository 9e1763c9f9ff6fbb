/**
 * The REST API: a public API other tools rely on, so its shapes are kept stable.
 *   GET /health                          200 while the process lives
 *   GET /ready                           200 once every enabled venue has a live book, else 503 with reasons
 *   GET /api/v1/venues                   [{id, kind, state, symbols, ...status}]
 *   GET /api/v1/books/{venue}/{symbol}?depth=N
 *   GET /api/v1/delta-stats/summary      publisher totals and compression ratio
 *   GET /api/v1/delta-stats/{venue}/{symbol}  one book's: compression, changes per update, bytes saved, latest latency
 *   GET /api/v1/openapi.json             the OpenAPI 3.1 document of all of these (openapi.ts)
 *   GET /metrics                         Prometheus metrics (served by server.ts, beside these)
 *   GET /api/v1/shm                      the shared-memory tap (--shm): state or why off, path, records written, readers and their lag
 *   GET /api/v1/about                    the running build: version, runtimes, ONNX provider, config file (About panel)
 *   GET /api/v1/inference                the signal model: provider in use, skipped providers, latency
 *   GET /api/v1/arbitrage/opportunities  crossed markets between venues net of taker fees (shape: ArbitrageState
 *        in src/shared/arbitrage.ts): {ts, live: [opp], recent: [opp], crossedUnderFees, takerFeeBps: {default, <venue>},
 *        alertIntervalSeconds}; opp = {id, symbol, buyVenue, buyPrice, sellVenue, sellPrice, buyVersion, sellVersion,
 *        touchSize, size, buyLevels, sellLevels, buyVwap, sellVwap, grossBps, netBps, profit, quote, buyFeeBps,
 *        sellFeeBps, firstSeen, lastSeen, endedAt, durationMs, peakNetBps}; prices and sizes decimal strings, times ms
 */
import type { ServerResponse } from 'node:http';
import type { Engine } from '../engine';
import type { MarketBook } from '../market/market-book';
import { formatPrice, formatQty } from '../../shared/instruments';
import type { PriceTicks, Qty } from '../../shared/units';
import { openApiDocument, type BookDeltaStatsBody, type DeltaSummaryBody } from './openapi';

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
  if (path === '/api/v1/shm') {
    sendJson(res, 200, engine.shmStatus());
    return true;
  }
  if (path === '/api/v1/about') {
    sendJson(res, 200, engine.about());
    return true;
  }
  if (path === '/api/v1/inference') {
    sendJson(res, 200, engine.inferenceStatus());
    return true;
  }
  if (path === '/api/v1/arbitrage/opportunities') {
    sendJson(res, 200, engine.arbitrage.state());
    return true;
  }
  if (path === '/api/v1/delta-stats/summary') {
    sendJson(res, 200, deltaSummary(engine));
    return true;
  }
  if (path === '/api/v1/openapi.json') {
    sendJson(res, 200, openApiDocument());
    return true;
  }
  const stats = /^\/api\/v1\/delta-stats\/([^/]+)\/([^/]+)$/.exec(path);
  if (stats) {
    const mb = findBookOr404(engine, decodeURIComponent(stats[1]!), decodeURIComponent(stats[2]!), res);
    if (mb) sendJson(res, 200, bookDeltaStats(mb));
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
function deltaSummary(engine: Engine): DeltaSummaryBody {
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

/** One book's publishing totals (counted by the publisher, see BookDeltaStats in delta-tracker.ts). */
function bookDeltaStats(mb: MarketBook): BookDeltaStatsBody {
  const s = mb.tracker.stats;
  const per = (a: number, b: number) => (b > 0 ? a / b : null);
  return {
    venue: mb.venue,
    symbol: mb.symbol,
    version: mb.version,
    stale: mb.stale,
    deltas: s.deltas,
    deltaBytes: s.deltaBytes,
    snapshotEquivalentBytes: s.snapshotEquivalentBytes,
    bytesSaved: s.snapshotEquivalentBytes - s.deltaBytes,
    savedFraction: s.snapshotEquivalentBytes > 0 ? 1 - s.deltaBytes / s.snapshotEquivalentBytes : null,
    compressionRatio: per(s.snapshotEquivalentBytes, s.deltaBytes),
    compressionRatioPerUpdate: per(s.snapshotPerUpdateBytes, s.deltaBytes),
    updatesCovered: s.updatesCovered,
    changesReceived: s.rawChanges,
    changesSent: s.coalescedChanges,
    avgChangesPerUpdate: per(s.rawChanges, s.updatesCovered),
    coalescingFactor: per(s.rawChanges, s.coalescedChanges),
    snapshots: s.snapshots,
    snapshotBytes: s.snapshotBytes,
    lastUpdateLatencyUs: Number.isFinite(s.lastLatencyUs) ? s.lastLatencyUs : null,
  };
}

/** The book, or a 404 naming what exists. */
function findBookOr404(engine: Engine, venue: string, symbol: string, res: ServerResponse): MarketBook | null {
  const host = engine.host(venue);
  if (!host) {
    sendJson(res, 404, { error: `unknown venue "${venue}"`, venues: engine.hosts.map((h) => h.venue) });
    return null;
  }
  const mb = host.bookOf(symbol);
  if (!mb) {
    sendJson(res, 404, { error: `venue ${venue} has no symbol "${symbol}"`, symbols: host.symbols });
    return null;
  }
  return mb;
}

function bookResponse(engine: Engine, venue: string, symbol: string, query: URLSearchParams, res: ServerResponse): void {
  const mb = findBookOr404(engine, venue, symbol, res);
  if (!mb) return;
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

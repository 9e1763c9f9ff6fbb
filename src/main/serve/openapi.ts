/**
 * The REST API's contract: zod schemas of every answer, turned into an OpenAPI 3.1 document
 * (JSON Schema 2020-12 via z.toJSONSchema), served at GET /api/v1/openapi.json. The test beside
 * it starts a real engine, calls every endpoint and validates each real answer against this
 * document, so the document cannot drift from what the server says.
 */
import { z } from 'zod';
import { VENUE_STATE_NAMES } from '../../shared/frames';
import { emptyCounters, type CollectorCounters } from '../collectors/messages';

const schemas = z.registry<{ id: string }>();
function named<T extends z.ZodType>(id: string, description: string, schema: T): T {
  const described = schema.describe(description) as T;
  schemas.add(described as z.ZodType, { id });
  return described;
}

const count = z.number().int().min(0);
const decimal = z.string().regex(/^\d+(\.\d+)?$/).describe('exact decimal at the instrument precision, e.g. "67012.30"');
const ratio = z.number().nullable();

const ErrorBody = named('Error', 'Every error answer: a sentence saying what was wrong.', z.object({ error: z.string() }));
const UnknownVenue = named('UnknownVenue', 'The venue is not enabled; `venues` lists those that are.', z.object({ error: z.string(), venues: z.array(z.string()) }));
const UnknownSymbol = named('UnknownSymbol', 'The venue has no such symbol; `symbols` lists those it has.', z.object({ error: z.string(), symbols: z.array(z.string()) }));

const Health = named('Health', 'The process is alive.', z.object({ status: z.literal('ok'), uptimeSeconds: count }));
const Readiness = named('Readiness', 'Ready once every enabled venue has a live, exact book; otherwise the reasons.', z.object({ ready: z.boolean(), reasons: z.array(z.string()) }));

const counterNames = Object.keys(emptyCounters()) as Array<keyof CollectorCounters>;
const Counters = z.object(Object.fromEntries(counterNames.map((k) => [k, count])) as Record<keyof CollectorCounters, typeof count>).describe('collector counters since start');
const RecordingStatus = z.object({
  state: z.enum(['recording', 'failed', 'stopped']),
  dir: z.string(),
  rows: count,
  files: count,
  bytes: count,
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
const ReplayStatus = z.object({
  venue: z.string(),
  source: z.string(),
  paused: z.boolean(),
  speed: z.number(),
  positionUs: z.number(),
  startUs: z.number(),
  endUs: z.number(),
  ended: z.boolean(),
  rows: count,
});
const VenueStatus = named('VenueStatus', 'One venue connection: state, rates, exchange→engine latency and counters.', z.object({
  id: z.string(),
  kind: z.enum(['simulator', 'replay', 'exchange']),
  state: z.enum(VENUE_STATE_NAMES),
  stateReason: z.string(),
  symbols: z.array(z.string()),
  msgsPerSec: z.number().min(0),
  latencyP50Us: z.number().min(0),
  latencyP99Us: z.number().min(0),
  counters: Counters,
  staleBooks: z.array(z.string()),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  recording: RecordingStatus.optional().describe('with --record: the recorder (one for all venues)'),
  replay: ReplayStatus.optional().describe('replay venues: position, speed, paused'),
}));

const Book = named('Book', 'An L2 book: bids descending, asks ascending, [price, size] as decimal strings.', z.object({
  venue: z.string(),
  symbol: z.string(),
  version: count,
  stale: z.boolean(),
  staleReason: z.string().optional().describe('present while stale'),
  bids: z.array(z.tuple([decimal, decimal])),
  asks: z.array(z.tuple([decimal, decimal])),
}));

const DeltaSummary = named('DeltaSummary', 'Publisher totals since start: how much coalesced deltas saved against full snapshots. Ratios are null before the first delta.', z.object({
  deltas: count,
  deltaBytes: count,
  snapshotEquivalentBytes: count.describe('a full snapshot in place of each delta sent'),
  snapshotPerUpdateBytes: count.describe('a full snapshot per venue update (the naive stream)'),
  updatesCovered: count,
  snapshots: count,
  snapshotBytes: count,
  rawChanges: count,
  coalescedChanges: count,
  tradeFrames: count,
  skippedFrames: count,
  compressionRatio: ratio.describe('snapshotEquivalentBytes / deltaBytes'),
  savedFraction: ratio,
  compressionRatioPerUpdate: ratio.describe('snapshotPerUpdateBytes / deltaBytes'),
  savedFractionPerUpdate: ratio,
  updatesPerDelta: ratio,
  coalescingFactor: ratio.describe('level changes received per level entry sent'),
}));

const BookDeltaStats = named('BookDeltaStats', 'One book\'s publishing totals since start. Only books some client subscribes to produce deltas.', z.object({
  venue: z.string(),
  symbol: z.string(),
  version: count,
  stale: z.boolean(),
  deltas: count.describe('delta frames encoded (each sent to every client in sync)'),
  deltaBytes: count,
  snapshotEquivalentBytes: count,
  bytesSaved: z.number().describe('snapshotEquivalentBytes - deltaBytes'),
  savedFraction: ratio,
  compressionRatio: ratio.describe('snapshot per frame / delta bytes'),
  compressionRatioPerUpdate: ratio.describe('snapshot per venue update / delta bytes'),
  updatesCovered: count.describe('venue updates the deltas covered'),
  changesReceived: count.describe('level changes received from the venue'),
  changesSent: count.describe('level entries sent after coalescing'),
  avgChangesPerUpdate: ratio.describe('level changes per venue update'),
  coalescingFactor: ratio.describe('changes received per entry sent'),
  snapshots: count,
  snapshotBytes: count,
  lastUpdateLatencyUs: z.number().nullable().describe('latest delta: engine receive of its newest change → frame send, µs'),
}));

const InferenceStatus = named('InferenceStatus', 'The signal model: provider in use, providers skipped and why, latency.', z.object({
  enabled: z.boolean(),
  provider: z.string().nullable(),
  requested: z.string(),
  skipped: z.array(z.object({ provider: z.string(), reason: z.string() })),
  model: z.object({ path: z.string(), featureNames: z.array(z.string()), horizonMs: z.number(), classes: z.array(z.string()), trainedAt: z.string().nullable() }).nullable(),
  error: z.string().nullable(),
  runs: count,
  batches: count,
  latencyP50Us: z.number(),
  latencyP99Us: z.number(),
}));

const ArbOpportunity = named('ArbOpportunity', 'Buy at buyVenue\'s ask, sell at sellVenue\'s bid, both as a taker, net of both fees.', z.object({
  id: z.string(),
  symbol: z.string(),
  buyVenue: z.string(),
  buyPrice: decimal,
  sellVenue: z.string(),
  sellPrice: decimal,
  buyVersion: count,
  sellVersion: count,
  touchSize: decimal,
  size: decimal,
  buyLevels: count,
  sellLevels: count,
  buyVwap: z.number(),
  sellVwap: z.number(),
  grossBps: z.number(),
  netBps: z.number(),
  profit: z.number(),
  quote: z.string(),
  buyFeeBps: z.number(),
  sellFeeBps: z.number(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  endedAt: z.number().nullable(),
  durationMs: z.number(),
  peakNetBps: z.number(),
}));
const ArbitrageState = named('ArbitrageState', 'Crossed markets between venues net of taker fees: live ones (best first) and recently ended ones.', z.object({
  ts: z.number(),
  live: z.array(ArbOpportunity),
  recent: z.array(ArbOpportunity),
  crossedUnderFees: count,
  takerFeeBps: z.record(z.string(), z.number()),
  alertIntervalSeconds: z.number(),
}));

const About = named('About', 'The running build: version, runtimes, ONNX provider, config file and data folder (the About panel).', z.object({
  app: z.string(),
  version: z.string(),
  shell: z.enum(['electron', 'web']),
  node: z.string(),
  electron: z.string().optional(),
  chrome: z.string().optional(),
  platform: z.string(),
  arch: z.string(),
  onnxProvider: z.string().nullable(),
  onnxNote: z.string(),
  configPath: z.string().nullable(),
  dataDir: z.string(),
  shmTap: z.string(),
  pid: count,
  startedAt: z.string(),
}).strict());

const ShmReader = z.object({
  slot: count,
  state: z.enum(['active', 'detached', 'unknown']),
  pid: count,
  alive: z.boolean().describe('the reader process still holds its slot\'s lock'),
  name: z.string(),
  bookSeq: count.describe('next book record the reader will read'),
  tradeSeq: count,
  bookLag: count.describe('book records written that the reader has not read'),
  tradeLag: count,
  heartbeatAgeMs: z.number().min(0),
  overruns: count.describe('times the reader fell a ring behind and resynced'),
  snapshotRequests: count,
  snapshotsServed: count,
}).strict();
const ShmStatus = named('ShmStatus', 'The shared-memory tap (`--shm`, docs/shm.md): state, or why it is off; records written; readers attached and their lag.', z.object({
  enabled: z.boolean().describe('shm.enabled'),
  state: z.enum(['off', 'running', 'unavailable', 'failed', 'closed']),
  reason: z.string().nullable().describe('why it is not running; null while running'),
  path: z.string().nullable(),
  layoutVersion: count,
  bookSlots: count,
  tradeSlots: count,
  readerSlots: count,
  records: z.object({ book: count, trade: count }).strict(),
  snapshots: z.object({ rounds: count, records: count }).strict(),
  instruments: count,
  readers: z.array(ShmReader),
}).strict());

const OpenApiDoc = named('OpenApiDocument', 'This document.', z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }));

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
const unauthorized = { $ref: '#/components/responses/Unauthorized' };
const venueSymbolParams = [
  { name: 'venue', in: 'path', required: true, schema: { type: 'string' }, description: 'venue id, e.g. sim-a, kraken' },
  { name: 'symbol', in: 'path', required: true, schema: { type: 'string' }, description: 'BASE-QUOTE, e.g. BTC-USD' },
];
const unknownBook = json('unknown venue, or the venue has no such symbol', { anyOf: [ref('UnknownVenue'), ref('UnknownSymbol')] });

function buildDocument() {
  const generated = z.toJSONSchema(schemas, { uri: (id) => `#/components/schemas/${id}`, io: 'output' }).schemas;
  const components = Object.fromEntries(
    Object.entries(generated).map(([id, s]) => {
      const { $schema: _s, $id: _i, ...rest } = s as Record<string, unknown>;
      return [id, rest];
    }),
  );
  const op = (operationId: string, summary: string, responses: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    get: { operationId, summary, ...extra, responses: { ...responses, ...('security' in extra ? {} : { 401: unauthorized }) } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pulse REST API',
      version: '1',
      description:
        'The web shell\'s REST API (`pulse serve`). Bound to loopback it needs no token; bound to any other address, or with `auth.require`, ' +
        'every call but /health needs a token, as `Authorization: Bearer <token>` or `?token=<token>`, else 401. Errors are JSON `{"error": "…"}`: ' +
        '400 for a bad parameter or request target, 401 without a valid token, 404 for an unknown venue, symbol or /api path, 405 for any method but GET and HEAD.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { token: [] }, {}],
    paths: {
      '/health': op('health', 'Liveness: 200 while the process lives (never needs a token)', { 200: json('alive', ref('Health')) }, { security: [] }),
      '/ready': op('ready', 'Readiness: 200 once every enabled venue has a live, exact book; 503 with the reasons before', {
        200: json('ready', ref('Readiness')),
        503: json('not ready; `reasons` says why', ref('Readiness')),
      }),
      '/metrics': op('metrics', 'Prometheus metrics (text exposition format 0.0.4): pulse_* per engine, process_* and nodejs_* per process', {
        200: { description: 'metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
      }),
      '/api/v1/venues': op('listVenues', 'Every enabled venue: state, messages/s, latency, counters', { 200: json('venues', { type: 'array', items: ref('VenueStatus') }) }),
      '/api/v1/books/{venue}/{symbol}': op('getBook', 'One L2 book at the instrument\'s precision', {
        200: json('the book', ref('Book')),
        400: json('depth is not an integer from 1 to 5000', ref('Error')),
        404: unknownBook,
      }, {
        parameters: [...venueSymbolParams, { name: 'depth', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 5000, default: 20 }, description: 'levels per side' }],
      }),
      '/api/v1/delta-stats/summary': op('deltaStatsSummary', 'Publisher totals and compression ratios, all books', { 200: json('totals', ref('DeltaSummary')) }),
      '/api/v1/delta-stats/{venue}/{symbol}': op('deltaStatsBook', 'One book\'s publishing totals: compression, changes per update, bytes saved, latest latency', {
        200: json('the book\'s totals', ref('BookDeltaStats')),
        404: unknownBook,
      }, { parameters: venueSymbolParams }),
      '/api/v1/inference': op('inference', 'The signal model: provider in use, skipped providers, latency', { 200: json('status', ref('InferenceStatus')) }),
      '/api/v1/arbitrage/opportunities': op('arbitrageOpportunities', 'Crossed markets between venues net of taker fees', { 200: json('opportunities', ref('ArbitrageState')) }),
      '/api/v1/shm': op('shm', 'The shared-memory tap: state or why off, path, records written, readers and their lag', { 200: json('tap status', ref('ShmStatus')) }),
      '/api/v1/about': op('about', 'The running build: version, Node/Electron, ONNX provider, config file, data folder', { 200: json('about', ref('About')) }),
      '/api/v1/openapi.json': op('openapi', 'This document', { 200: json('OpenAPI 3.1', ref('OpenApiDocument')) }),
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a token from `pulse token new --role trader|risk`' },
        token: { type: 'apiKey', in: 'query', name: 'token', description: 'the same token in the URL (browsers cannot set WebSocket headers)' },
      },
      responses: { Unauthorized: json('a valid token is required', ref('Error')) },
      schemas: components,
    },
  };
}

let cached: ReturnType<typeof buildDocument> | null = null;

export function openApiDocument(): ReturnType<typeof buildDocument> {
  return (cached ??= buildDocument());
}

/** The zod schemas behind the document, for type checks against what the handlers return. */
export const RestSchemas = { ErrorBody, UnknownVenue, UnknownSymbol, Health, Readiness, VenueStatus, Book, DeltaSummary, BookDeltaStats, InferenceStatus, ArbitrageState, About, ShmStatus };
export type BookDeltaStatsBody = z.infer<typeof BookDeltaStats>;
export type DeltaSummaryBody = z.infer<typeof DeltaSummary>;

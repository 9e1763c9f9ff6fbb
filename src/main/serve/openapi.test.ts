/**
 * The OpenAPI document against the real server: a real engine with tokens required, every
 * endpoint called (answers and errors), each answer validated against the schema the served
 * document gives for its path and status (z.fromJSONSchema of the document's own JSON Schema).
 * Every (path, status) the document lists must have been seen, and every route in rest.ts must be
 * in the document.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newToken } from './auth';
import type { RestSchemas } from './openapi';
import type { VenueStatusView } from '../engine';
import type { InferenceStatus } from '../../shared/signals';
import type { ArbitrageState } from '../../shared/arbitrage';
import type { ShmStatus } from '../shm/status';
import type { AboutInfo } from '../../shared/about';
import { startHarness, type Harness } from '../testing/engine-harness';
import { BookClient, until } from '../testing/book-client';

// What the handlers return must be what the schemas describe (checked by tsc).
type Body<K extends keyof typeof RestSchemas> = z.infer<(typeof RestSchemas)[K]>;
export const typeChecks = (v: VenueStatusView, i: InferenceStatus, a: ArbitrageState, about: AboutInfo): [Body<'VenueStatus'>, Body<'InferenceStatus'>, Body<'ArbitrageState'>, Body<'About'>] => [v, i, a, about];
export const shmTypeCheck = (s: ShmStatus): Body<'ShmStatus'> => s;

type Doc = {
  paths: Record<string, { get: { responses: Record<string, { $ref?: string; content?: Record<string, { schema: object }> }> } }>;
  components: { schemas: Record<string, object>; responses: Record<string, { content: Record<string, { schema: object }> }> };
};

const trader = newToken();
let h: Harness;
let doc: Doc;
const seen = new Set<string>();

beforeAll(async () => {
  h = await startHarness({
    enabled: ['sim-a', 'sim-b'],
    symbols: ['BTC-USD', 'ETH-USD'],
    simulator: { updatesPerSecond: 100 },
    auth: { require: true, tokens: [{ name: 'test', role: 'trader', sha256: trader.sha256 }] },
  });
  const res = await fetch(`${h.base}/api/v1/openapi.json`, { headers: { authorization: `Bearer ${trader.token}` } });
  doc = (await res.json()) as Doc;
});
afterAll(async () => {
  await h?.stop();
});

const toDefs = (schema: object) => JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/$defs/')) as Record<string, unknown>;

function schemaFor(template: string, status: number, mediaType: string): z.ZodType {
  let response = doc.paths[template]?.get.responses[String(status)];
  if (!response) throw new Error(`the document has no ${status} answer for GET ${template}`);
  if (response.$ref) response = doc.components.responses[response.$ref.split('/').at(-1)!]!;
  const media = response.content?.[mediaType];
  if (!media) throw new Error(`the document has no ${mediaType} body for ${status} on GET ${template}`);
  return z.fromJSONSchema({ ...toDefs(media.schema), $defs: toDefs(doc.components.schemas) } as never);
}

type Auth = 'bearer' | 'query' | 'none' | 'wrong';

/** Calls GET `url`, expects `status`, validates the body against the document's schema for `template`. */
async function check(template: string, url: string, status: number, auth: Auth = 'bearer'): Promise<any> {
  const target = new URL(h.base + url);
  if (auth === 'query') target.searchParams.set('token', trader.token);
  const headers: Record<string, string> = auth === 'bearer' ? { authorization: `Bearer ${trader.token}` } : auth === 'wrong' ? { authorization: 'Bearer not-a-token' } : {};
  const res = await fetch(target, { headers });
  const text = await res.text();
  expect(res.status, `GET ${url}: ${text.slice(0, 300)}`).toBe(status);
  const mediaType = res.headers.get('content-type')!.split(';')[0]!;
  const body = mediaType === 'application/json' ? JSON.parse(text) : text;
  const result = schemaFor(template, status, mediaType).safeParse(body);
  expect(result.success, `GET ${url} → ${status} does not match the document: ${JSON.stringify(result.error?.issues.slice(0, 3))}`).toBe(true);
  seen.add(`${template} ${status}`);
  return body;
}

describe('OpenAPI document vs the real server', () => {
  it('is OpenAPI 3.1 with bearer and ?token security', () => {
    expect(doc).toMatchObject({ openapi: '3.1.0', components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, token: { type: 'apiKey', in: 'query', name: 'token' } } } });
  });

  it('validates every answer, and every error, against the document', async () => {
    await until(() => h.pulse.engine.readiness().ready, 10_000, 'every book live');
    await check('/health', '/health', 200, 'none');
    await check('/ready', '/ready', 200);
    await check('/metrics', '/metrics', 200);
    await check('/api/v1/venues', '/api/v1/venues', 200);
    await check('/api/v1/books/{venue}/{symbol}', '/api/v1/books/sim-a/BTC-USD?depth=5', 200);
    await check('/api/v1/books/{venue}/{symbol}', '/api/v1/books/sim-a/BTC-USD', 200, 'query');
    await check('/api/v1/books/{venue}/{symbol}', '/api/v1/books/nowhere/BTC-USD', 404);
    await check('/api/v1/books/{venue}/{symbol}', '/api/v1/books/sim-a/DOGE-USD', 404);
    await check('/api/v1/books/{venue}/{symbol}', '/api/v1/books/sim-a/BTC-USD?depth=0', 400);
    await check('/api/v1/books/{venue}/{symbol}', '/api/v1/books/sim-a/BTC-USD?depth=2.5', 400);
    await check('/api/v1/delta-stats/summary', '/api/v1/delta-stats/summary', 200);
    // before any client subscribed: no deltas, null ratios
    const before = await check('/api/v1/delta-stats/{venue}/{symbol}', '/api/v1/delta-stats/sim-b/ETH-USD', 200);
    expect(before).toMatchObject({ deltas: 0, compressionRatio: null, lastUpdateLatencyUs: null });
    const client = await BookClient.connect(`${h.wsUrl}?token=${trader.token}`);
    client.subscribe('sim-b', 'ETH-USD');
    await until(() => (client.book('sim-b', 'ETH-USD')?.deltas ?? 0) > 3, 10_000, 'deltas');
    const after = await check('/api/v1/delta-stats/{venue}/{symbol}', '/api/v1/delta-stats/sim-b/ETH-USD', 200);
    expect(after.deltas).toBeGreaterThan(0);
    await client.close();
    await check('/api/v1/delta-stats/{venue}/{symbol}', '/api/v1/delta-stats/nowhere/ETH-USD', 404);
    await check('/api/v1/delta-stats/{venue}/{symbol}', '/api/v1/delta-stats/sim-b/DOGE-USD', 404);
    await check('/api/v1/inference', '/api/v1/inference', 200);
    await check('/api/v1/about', '/api/v1/about', 200);
    // the tap is off here (shm.enabled false): the answer says so and why; src/main/shm/*.test.ts covers it running
    const shm = await check('/api/v1/shm', '/api/v1/shm', 200);
    expect(shm).toMatchObject({ enabled: false, state: 'off', readers: [] });
    await check('/api/v1/arbitrage/opportunities', '/api/v1/arbitrage/opportunities', 200);
    await check('/api/v1/openapi.json', '/api/v1/openapi.json', 200);

    // without a token, or with a wrong one, every path but /health is 401
    for (const template of Object.keys(doc.paths)) {
      if (template === '/health') continue;
      const url = template.replace('{venue}', 'sim-a').replace('{symbol}', 'BTC-USD');
      await check(template, url, 401, 'none');
      await check(template, url, 401, 'wrong');
    }

    // a stale book: /ready is 503 with the reason, the book carries staleReason
    h.pulse.engine.findBook('sim-a', 'ETH-USD')!.markStale('test: marked stale by hand');
    const ready = await check('/ready', '/ready', 503);
    expect(ready.reasons.join(' ')).toContain('marked stale by hand');
    const stale = await check('/api/v1/books/{venue}/{symbol}', '/api/v1/books/sim-a/ETH-USD', 200);
    expect(stale).toMatchObject({ stale: true, staleReason: 'test: marked stale by hand' });
    await check('/api/v1/venues', '/api/v1/venues', 200);

    // an unknown /api path is a 404 with the common error shape
    const res = await fetch(`${h.base}/api/v1/nothing-here`, { headers: { authorization: `Bearer ${trader.token}` } });
    expect(res.status).toBe(404);
    const errorSchema = z.fromJSONSchema({ ...toDefs(doc.components.schemas['Error']!), $defs: toDefs(doc.components.schemas) } as never);
    expect(errorSchema.safeParse(await res.json()).success).toBe(true);

    const documented = Object.entries(doc.paths).flatMap(([template, item]) => Object.keys(item.get.responses).map((status) => `${template} ${status}`));
    expect([...seen].sort()).toEqual(documented.sort());
  });

  it('documents every route rest.ts serves', () => {
    const source = readFileSync(new URL('./rest.ts', import.meta.url), 'utf8');
    const literals = [...source.matchAll(/path === '([^']+)'/g)].map((m) => m[1]!);
    const patterns = [...source.matchAll(/\/\^((?:\\\/[a-z0-9.-]+)+)\\\/\(\[\^\/\]\+\)\\\/\(\[\^\/\]\+\)\$\//g)].map((m) => m[1]!.replaceAll('\\/', '/'));
    expect(literals.length).toBeGreaterThan(4);
    expect(patterns.length).toBeGreaterThanOrEqual(2);
    const paths = Object.keys(doc.paths);
    for (const p of literals) expect(paths, `${p} is served but not documented`).toContain(p);
    for (const p of patterns) expect(paths, `${p}/{venue}/{symbol} is served but not documented`).toContain(`${p}/{venue}/{symbol}`);
  });
});

/**
 * A silent venue and REST faults on the depth snapshot, injected by the mock into the real engine.
 * Every test checks: no crash, no crossed book ever shown live, the fault counted and logged, and
 * recovery to a book equal to the mock's; the rate-limit tests also check the venue is not hammered.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#limits
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVenue, TEST_RESILIENCE, type VenueUnderTest } from './tests/engine-support';
import { internalError, tooManyRequests } from './tests/mock-server';

const COOLDOWN_MS = 1000;
const MAX_ATTEMPTS = 8;

let v: VenueUnderTest;
let before: Record<string, number>;
let mark: number;
let staleBefore: number;

beforeAll(async () => {
  v = await startVenue({ settings: { rateLimitCooldownMs: COOLDOWN_MS, restMaxAttempts: MAX_ATTEMPTS } });
});
afterAll(async () => v?.stop());
beforeEach(async () => {
  await v.expectMatch('BTC-USD');
  await v.settle('BTC-USD');
  before = await v.freshCounters();
  mark = v.logMark();
  staleBefore = v.staleEvents('BTC-USD');
});

const grew = (name: string, by = 1) => v.eventually(async () => (await v.counters())[name]! >= before[name]! + by, `${name} +${by}`);
const logged = (re: RegExp) => expect(v.logs(mark)).toContainEqual(expect.stringMatching(re));
const recovered = async () => {
  await v.expectMatch('BTC-USD');
  await v.expectMatch('ETH-USD');
  expect(v.crossedLive).toEqual([]);
};
/** a resync of BTC-USD, by a gap */
const forceResync = () => v.mock.skip.set('BTCUSD', 1);

describe('Binance.US silent venue and REST faults (engine + mock over loopback)', () => {
  it('a venue that accepts the socket and then goes silent (no data, no pongs): watchdog reconnects, books stale, recovery once it speaks', async () => {
    v.mock.silent = true;
    await v.eventually(() => v.logs(mark).some((l) => /silent for 1000 ms; reconnecting/.test(l)), 'the watchdog');
    await v.eventually(() => v.logs(mark).some((l) => /connect failed: no message within 1000 ms of connecting/.test(l)), 'a silent reconnect to fail');
    expect(await v.staleBooks()).toEqual(['BTC-USD', 'ETH-USD']);
    expect(v.staleEvents('BTC-USD')).toBeGreaterThan(staleBefore);
    v.mock.silent = false;
    await grew('reconnects', 2);
    await recovered();
  });

  it('a depth snapshot that fails 5 times (HTTP 500 / 429) then succeeds: retried with backoff, retries logged, book live after', async () => {
    v.mock.depthFaults.push(internalError(), tooManyRequests(0), internalError(), tooManyRequests(0), internalError());
    const from = v.mock.depthRequests.length;
    forceResync();
    await grew('gaps');
    await v.eventually(() => v.logs(mark).some((l) => /BTC-USD depth snapshot: lastUpdateId=\d+ after \d+ failed attempts/.test(l)), 'the snapshot after retries', 10_000);
    expect(v.mock.depthRequests.slice(from).map((r) => r.status)).toEqual([500, 429, 500, 429, 500, 200]);
    logged(/BTC-USD depth snapshot: attempt 1 of 8 failed \(binanceus BTC-USD depth snapshot GET \/api\/v3\/depth: HTTP 500/);
    logged(/attempt 2 of 8 failed \(.*HTTP 429/);
    expect((await v.freshCounters()).restRetries).toBeGreaterThanOrEqual(before.restRetries! + 5);
    expect(v.staleEvents('BTC-USD')).toBeGreaterThan(staleBefore);
    await recovered();
  });

  // Retry-After 0 here: RestClient's own Retry-After handling is tested in collectors/rest.test.ts; this is about the gate.
  it('429s that outlast the retries: bursts bounded by restMaxAttempts and the breaker, then the REST gate holds every call for rateLimitCooldownMs (not hammered)', async () => {
    for (let i = 0; i < 10; i++) v.mock.depthFaults.push(tooManyRequests(0));
    const from = v.mock.depthRequests.length;
    forceResync();
    await v.eventually(() => v.logs(mark).some((l) => /BTC-USD depth snapshot: rate limited \(HTTP 429\); no REST call for \d+ ms/.test(l)), 'the rate-limit pause', 10_000);
    await recovered();
    const reqs = v.mock.depthRequests.slice(from);
    expect(reqs.filter((r) => r.status === 429)).toHaveLength(10);
    // Bursts are the RestClient's retries of one call; between bursts the gate holds for the cooldown.
    const bursts: number[][] = [[]];
    for (const [i, r] of reqs.entries()) {
      if (i > 0 && r.at - reqs[i - 1]!.at >= COOLDOWN_MS * 0.9) bursts.push([]);
      bursts.at(-1)!.push(r.status);
    }
    expect(bursts.length).toBeGreaterThanOrEqual(2);
    for (const b of bursts) expect(b.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
    expect(reqs.at(-1)!.status).toBe(200);
  });

  it('a 418 IP ban: not retried, no REST call at all until the ban time the body gives, then the book comes back', async () => {
    const until = Date.now() + 1500;
    v.mock.bannedUntil = until;
    const from = v.mock.depthRequests.length;
    forceResync();
    await v.eventually(() => v.logs(mark).some((l) => /rate limited \(HTTP 418, IP banned until /.test(l)), 'the ban to be noticed');
    await recovered();
    const reqs = v.mock.depthRequests.slice(from);
    expect(reqs.filter((r) => r.status === 418)).toHaveLength(1);
    expect(reqs.filter((r) => r.at < until)).toHaveLength(1);
    expect(reqs.at(-1)!.status).toBe(200);
    expect(TEST_RESILIENCE.breakerFailures).toBeGreaterThan(1);
  });
});

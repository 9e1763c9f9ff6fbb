/**
 * https://developer.oanda.com/rest-live-v20/troubleshooting-errors/
 * Faults around credentials and the instruments REST call, each on its own engine (they happen
 * at start): a rejected token stops the venue with a clear error and no retry storm, and never
 * shows the token; an instruments call failing 5 times is retried until it succeeds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../testing/book-client';
import { expectExact, logs, startRig, untilLog, venue, type Rig } from './support';

let rig: Rig | undefined;
afterEach(async () => {
  rig?.watch.assertClean();
  await rig?.close();
  rig = undefined;
});

const stopped = async (r: Rig) => {
  let v: Record<string, any> = {};
  await until(() => {
    void venue(r.h).then((x) => (v = x), () => {});
    return v.state === 'stopped';
  }, 5000, 'venue stopped');
  return v;
};

describe('oanda faults: credentials and REST', () => {
  it('401 on the price stream: state stopped, "OANDA rejected the token", one request only, token nowhere', async () => {
    rig = await startRig({}, (mock) => mock.rejectToken({ stream: true }));
    const v = await stopped(rig);
    expect(v.stateReason).toBe('OANDA rejected the token (HTTP 401)');
    expect(v.lastError).toEqual({ code: 'oanda-auth', message: 'OANDA rejected the token (HTTP 401)' });
    expect(v.staleBooks).toHaveLength(3);
    await untilLog(rig.h, /OANDA rejected the token \(HTTP 401\); not retrying/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(rig.mock.streamRequests).toBe(1);
    const everything = JSON.stringify(await rig.h.venues()) + logs(rig.h).join('\n');
    expect(everything).not.toContain(rig.mock.token);
  });

  it('401 on the instruments call: stopped with the same clear error, no retry, token nowhere', async () => {
    rig = await startRig({}, (mock) => mock.rejectToken({ rest: true }));
    const v = await stopped(rig);
    expect(v.lastError?.message).toBe('OANDA rejected the token (HTTP 401 on instruments)');
    await new Promise((r) => setTimeout(r, 500));
    expect(rig.mock.restRequests).toBe(1);
    expect(rig.mock.streamRequests).toBe(0);
    expect(JSON.stringify(await rig.h.venues()) + logs(rig.h).join('\n')).not.toContain(rig.mock.token);
  });

  it('instruments call failing 5 times (HTTP 503): retried with backoff behind the breaker, then streaming and exact', async () => {
    rig = await startRig({}, (mock) => mock.failInstruments(5));
    await expectExact(rig, undefined, 10_000);
    expect(rig.mock.restRequests).toBeGreaterThanOrEqual(6);
    // each of the 5 failures is logged: as a retry, or as the end of one retried call before the next
    const failures = logs(rig.h).filter((l) => /oanda: instruments (request failed \(attempt \d\)|still unavailable).*HTTP 503/.test(l));
    expect(failures).toHaveLength(5);
    expect((await venue(rig.h)).state).toBe('live');
  });
});

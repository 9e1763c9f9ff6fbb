/**
 * https://developer.oanda.com/rest-live-v20/pricing-ep/
 * Fault matrix, transport side: one real engine on one mock, each fault injected in turn. In every
 * case: no crash, never a crossed book nor a live book the venue did not send (BookWatch), a clear
 * log line, a counter, and recovery to a book equal to the mock's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../testing/book-client';
import { counters, expectExact, logs, startRig, untilCounter, untilLog, venue, type Rig } from './support';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
  await expectExact(rig);
});
afterAll(async () => rig?.close());
afterEach(() => {
  rig.mock.resume();
  rig.mock.silence(false);
  rig.watch.assertClean();
});

describe('oanda faults: the connection', () => {
  it('connection reset mid-stream: books stale, reconnect, rebuilt from the new stream', async () => {
    const before = await counters(rig.h);
    rig.mock.dropStreams();
    await untilLog(rig.h, /stream down \(connection lost/);
    await untilCounter(rig.h, 'reconnects', before.reconnects! + 1);
    await expectExact(rig);
  });

  it('the server ends the stream: reconnect and rebuild', async () => {
    const before = await counters(rig.h);
    rig.mock.endStreams();
    await untilLog(rig.h, /stream down \(stream ended by the server\)/);
    await untilCounter(rig.h, 'reconnects', before.reconnects! + 1);
    await expectExact(rig);
  });

  it('a PRICE split across two chunks 30 ms apart is reassembled and applied, nothing counted bad', async () => {
    const before = await counters(rig.h);
    rig.mock.pause();
    rig.mock.splitNextLine();
    rig.mock.emitOne('EUR_USD');
    await expectExact(rig, ['EUR-USD']);
    await new Promise((r) => setTimeout(r, 1100)); // counters arrive once a second
    const after = await counters(rig.h);
    expect(after.badMessages).toBe(before.badMessages);
    expect(after.reconnects).toBe(before.reconnects);
    expect(after.messages).toBeGreaterThan(before.messages!);
  });

  it('HEARTBEATs only for 3 watchdog periods: books stay live and as they are, no reconnect', async () => {
    await expectExact(rig, undefined, undefined, true);
    const before = await counters(rig.h);
    const books = await Promise.all(['EUR-USD', 'USD-JPY'].map((s) => rig.h.book('oanda', s)));
    await new Promise((r) => setTimeout(r, 2400));
    const after = await Promise.all(['EUR-USD', 'USD-JPY'].map((s) => rig.h.book('oanda', s)));
    expect(after).toEqual(books);
    expect(after.every((b) => !b.stale)).toBe(true);
    expect((await counters(rig.h)).reconnects).toBe(before.reconnects);
    expect(logs(rig.h).some((l) => /silent for/.test(l))).toBe(false);
    expect(rig.mock.openStreams).toBe(1);
  });

  it('a line over 1 MB: counted bad, stream dropped, reconnect, rebuilt', async () => {
    const before = await counters(rig.h);
    rig.mock.sendRaw(`{"type":"PRICE","instrument":"EUR_USD","pad":"${'x'.repeat(1100 * 1024)}"}`);
    await untilLog(rig.h, /a line over 1048576 bytes; dropped the stream/);
    await untilCounter(rig.h, 'badMessages', before.badMessages! + 1);
    await untilCounter(rig.h, 'reconnects', before.reconnects! + 1);
    await expectExact(rig);
  });

  it('a venue that goes silent (no heartbeats, then silent new streams): watchdog, failed connects, books stale; recovers when it speaks', async () => {
    const before = await counters(rig.h);
    rig.mock.silence(true);
    await untilLog(rig.h, /silent for 800 ms; reconnecting/);
    await untilLog(rig.h, /no message within 800 ms of connecting/, 6000);
    const v = await venue(rig.h);
    expect(v.staleBooks.length).toBe(3);
    expect(v.state).not.toBe('live');
    rig.mock.silence(false);
    await until(() => rig.mock.openStreams > 0, 5000, 'a new stream');
    await untilCounter(rig.h, 'reconnects', before.reconnects! + 2);
    await expectExact(rig, undefined, 10_000);
    expect((await venue(rig.h)).state).toBe('live');
  });
});

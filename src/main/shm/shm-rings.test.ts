/**
 * The shared-memory rings across real processes: a Node writer child using the built addon,
 * the Python example reader, real files in /dev/shm. No mocks.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing/book-client';
import { loadAddon } from './addon';
import { readerOnce, removeShm, skipReason, spawnReader, spawnWriter, testShmPath, type Proc } from './test-support';

const procs: Proc[] = [];
const paths: string[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill('SIGKILL');
  for (const p of paths.splice(0)) removeShm(p);
});
const track = <T extends Proc>(p: T): T => (procs.push(p), p);

describe.skipIf(skipReason !== null)(`shm rings across processes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('passes 1,000,000 book records from a Node writer to a Python reader with none lost, duplicated or reordered', async () => {
    // Tried: the writer child writes records whose version field is 1..1e6 into a 16 Ki-slot ring,
    // pausing while the reader's published sequence lags by more than 15 Ki (the test writer paces;
    // the engine's tap never does). Must hold: the reader saw every payload once, in order, no overrun.
    const path = testShmPath('million');
    paths.push(path);
    const writer = track(spawnWriter({ mode: 'sequence', path, count: 1_000_000, bookSlots: 1 << 14 }));
    await until(() => existsSync(path), 10_000, 'the writer to create the file');
    const reader = track(spawnReader(path, ['--verify', '1000000', '--timeout', '40']));
    const result = await reader.waitFor((l) => 'ok' in l, 45_000, 'the verify result');
    expect(result, reader.stderr()).toMatchObject({ ok: true, records: 1_000_000, lost: 0, duplicatedOrReordered: 0, overruns: 0 });
    const written = await writer.waitFor((l) => 'written' in l, 15_000, 'the writer to finish');
    expect(written.written).toBe(1_000_000);
    expect(await writer.exited).toBe(0);
  }, 60_000);

  it('recognises a SIGKILLed writer as stale, and a stopped one as stalled', async () => {
    // Tried: a live writer (heartbeat every 50 ms, staleAfterMs 1000) with a reader following it;
    // SIGSTOP then SIGCONT, then SIGKILL. Must hold: the reader reports "stalled" while the writer
    // is stopped (lock held, heartbeat old), "running" again after SIGCONT, and "stale" once it is
    // killed (state still running, writer lock gone); --status then says stale with the pid.
    const path = testShmPath('crash');
    paths.push(path);
    const writer = track(spawnWriter({ mode: 'crash', path, count: 100, bookSlots: 1024 }));
    const { pid } = await writer.waitFor((l) => l.ready, 10_000, 'the writer');
    expect(readerOnce(path, ['--status']).out).toMatchObject({ state: 'running', writer: { state: 'running', pid }, bookSeq: 100 });

    const reader = track(spawnReader(path, ['--json', '--interval', '0.2']));
    await reader.waitFor((l) => l.type === 'books', 5000, 'the reader to attach');
    const isWriter = (state: string) => (l: any) => l.event === 'writer' && l.state === state;
    process.kill(pid, 'SIGSTOP');
    const stalled = await reader.waitFor(isWriter('stalled'), 4000, 'a stalled writer');
    expect(stalled.detail).toMatch(/heartbeat is \d+ ms old/);
    process.kill(pid, 'SIGCONT');
    await reader.waitFor(isWriter('running'), 4000, 'the writer running again');
    process.kill(pid, 'SIGKILL');
    const stale = await reader.waitFor(isWriter('stale'), 4000, 'a stale writer');
    expect(stale.detail).toContain(`writer pid ${pid} is gone`);
    const status = readerOnce(path, ['--status']);
    expect(status.code).toBe(3);
    expect(status.out).toMatchObject({ state: 'running', writer: { state: 'stale', pid } });
  }, 30_000);

  it('refuses a second writer on a live file but takes over a stale one', async () => {
    // Tried: opening a writer on a path a live writer holds, then on the same path after SIGKILL.
    // Must hold: the first attempt throws naming the live pid; the second succeeds.
    const load = loadAddon();
    if (!load.ok) throw new Error(load.reason);
    const path = testShmPath('takeover');
    paths.push(path);
    const writer = track(spawnWriter({ mode: 'crash', path, count: 1, bookSlots: 1024 }));
    const { pid } = await writer.waitFor((l) => l.ready, 10_000, 'the writer');
    const options = { bookSlots: 1024, tradeSlots: 1024, readerSlots: 2, heartbeatMs: 50, staleAfterMs: 1000, name: 'test' };
    expect(() => new load.addon.Writer(path, options)).toThrow(`in use by a running writer (pid ${pid})`);
    writer.kill('SIGKILL');
    await writer.exited;
    const second = new load.addon.Writer(path, options);
    expect(readerOnce(path, ['--status']).out).toMatchObject({ writer: { state: 'running', pid: process.pid }, bookSeq: 0 });
    second.close(true);
    expect(readerOnce(path, ['--status']).code).not.toBe(0);
  }, 20_000);
});

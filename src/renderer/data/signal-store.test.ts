import { describe, expect, it } from 'vitest';
import type { InferenceStatus, SignalMessage } from '../../shared/signals';
import { argmaxClass, chartMarkers, nextCall, selectMarks, type Probs } from './signal-marks';
import { BoundedList, SignalStore } from './signal-store';

const sig = (symbol: string, ts: number, probs: [number, number, number], venue = 'sim'): SignalMessage => ({
  type: 'signal', venue, symbol, ts, probs, provider: 'cpu', latencyUs: 420,
});

const UP: [number, number, number] = [0.1, 0.2, 0.7];
const DOWN: [number, number, number] = [0.6, 0.3, 0.1];
const FLAT: [number, number, number] = [0.2, 0.6, 0.2];

function setup(opts: { historySize?: number; marksSize?: number } = {}) {
  let now = 1000;
  const store = new SignalStore({ ...opts, nowMs: () => now });
  return { store, advance: (ms: number) => (now += ms) };
}

describe('BoundedList', () => {
  it('keeps the last N in order', () => {
    const l = new BoundedList<number>(3);
    for (let i = 1; i <= 7; i++) l.push(i);
    expect(l.length).toBe(3);
    expect(l.toArray()).toEqual([5, 6, 7]);
    expect([...l]).toEqual([5, 6, 7]);
    expect(l.at(0)).toBe(5);
    expect(l.last()).toBe(7);
    expect(l.at(3)).toBeUndefined();
  });
});

describe('SignalStore', () => {
  it('keeps the latest and a bounded history per symbol', () => {
    const { store } = setup({ historySize: 300 });
    for (let i = 0; i < 1000; i++) store.onSignal(sig('BTC-USD', 1_000 + i, i % 2 ? UP : FLAT));
    store.onSignal(sig('ETH-USD', 5_000, DOWN));
    const btc = store.of('sim', 'BTC-USD')!;
    expect(btc.history.length).toBe(300);
    expect(btc.history.at(0)!.ts).toBe(1_700);
    expect(btc.latest!.ts).toBe(1_999);
    expect(btc.count).toBe(1000);
    const eth = store.of('sim', 'ETH-USD')!;
    expect(eth.history.length).toBe(1);
    expect(argmaxClass(eth.latest!.probs)).toBe('down');
    expect(store.of('other', 'BTC-USD')).toBeUndefined();
    expect(store.version).toBe(1001);
  });

  it('keeps venues apart', () => {
    const { store } = setup();
    store.onSignal(sig('BTC-USD', 1, UP, 'a'));
    store.onSignal(sig('BTC-USD', 1, DOWN, 'b'));
    expect(store.of('a', 'BTC-USD')!.call).toBe('up');
    expect(store.of('b', 'BTC-USD')!.call).toBe('down');
  });

  it('refuses signals older than the latest, and malformed ones', () => {
    const { store } = setup();
    expect(store.onSignal(sig('BTC-USD', 10, UP))).toBe(true);
    expect(store.onSignal(sig('BTC-USD', 9, DOWN))).toBe(false);
    expect(store.onSignal(sig('BTC-USD', 10, DOWN))).toBe(true);
    expect(store.of('sim', 'BTC-USD')!.outOfOrder).toBe(1);
    expect(store.onSignal({ ...sig('BTC-USD', 11, UP), probs: [0.5, 0.5] as unknown as [number, number, number] })).toBe(false);
    expect(store.onSignal(sig('BTC-USD', 12, [Number.NaN, 0.5, 0.5]))).toBe(false);
    expect(store.onSignal({ ...sig('BTC-USD', 13, UP), ts: Number.NaN })).toBe(false);
    expect(store.malformed).toBe(3);
    expect(store.of('sim', 'BTC-USD')!.count).toBe(2);
  });

  it('measures age on the local clock', () => {
    const { store, advance } = setup();
    expect(store.ageMs('sim', 'BTC-USD')).toBeNaN();
    store.onSignal(sig('BTC-USD', 1, UP));
    advance(250);
    expect(store.ageMs('sim', 'BTC-USD')).toBe(250);
  });

  it('records call starts as marks, bounded separately from the history', () => {
    const { store } = setup({ historySize: 10, marksSize: 4 });
    const seq = [UP, UP, FLAT, UP, DOWN, DOWN, UP, FLAT, DOWN];
    seq.forEach((p, i) => store.onSignal(sig('BTC-USD', i * 100, p)));
    const s = store.of('sim', 'BTC-USD')!;
    expect(s.marksVersion).toBe(5);
    expect(s.marks.toArray().map((m) => `${m.ts}:${m.call}`)).toEqual(['300:up', '400:down', '600:up', '800:down']);
    expect(s.marks.toArray()).toEqual(selectMarks(seq.map((probs, i) => ({ ts: i * 100, probs }))).slice(-4));
  });

  it('keeps the inference status with its own version', () => {
    const { store } = setup();
    const status: InferenceStatus = {
      enabled: true, provider: 'cpu', requested: 'cuda', skipped: [{ provider: 'cuda', reason: 'libcudart.so.12 not found' }],
      model: null, error: null, runs: 1, batches: 1, latencyP50Us: 300, latencyP99Us: 900,
    };
    store.setStatus(status);
    expect(store.status).toBe(status);
    expect(store.statusVersion).toBe(1);
    expect(store.version).toBe(0);
  });
});

describe('marker selection', () => {
  const run = (list: Probs[]) => selectMarks(list.map((probs, i) => ({ ts: i, probs }))).map((m) => `${m.ts}:${m.call}`);

  it('marks only when a call starts or flips, not on every signal', () => {
    expect(run([UP, UP, UP, DOWN, DOWN, FLAT, FLAT, UP])).toEqual(['0:up', '3:down', '7:up']);
  });

  it('needs the threshold to start a call', () => {
    // argmax up at 0.45: no call; crossing 0.5 starts one
    expect(run([[0.2, 0.35, 0.45], [0.2, 0.3, 0.5], [0.1, 0.3, 0.6]])).toEqual(['1:up']);
    expect(run([[0.45, 0.35, 0.2]])).toEqual([]);
  });

  it('holds a call through small dips (hysteresis) so a model near 0.5 does not flood the chart', () => {
    const hover: Probs[] = [[0.2, 0.3, 0.51], [0.2, 0.33, 0.47], [0.2, 0.29, 0.51], [0.25, 0.28, 0.47], [0.2, 0.3, 0.5]];
    expect(run(hover)).toEqual(['0:up']);
    // falling under the exit level ends it; coming back is a new call
    expect(run([[0.2, 0.3, 0.55], [0.2, 0.4, 0.4], [0.2, 0.3, 0.55]])).toEqual(['0:up', '2:up']);
  });

  it('flips directly from up to down', () => {
    expect(nextCall('up', [0.5, 0.1, 0.4])).toBe('down');
    // the opposite class taking the argmax ends a call even when it is not strong enough to start its own
    expect(nextCall('up', [0.47, 0.07, 0.46])).toBe(null);
  });

  it('places marks on the bar they fall in, one per bar and direction, none before the first bar', () => {
    const bars = [{ time: 100 }, { time: 101 }, { time: 105 }];
    const marks = [
      { ts: 99_500, call: 'up' as const, prob: 0.6 }, // before the first bar: dropped
      { ts: 100_200, call: 'up' as const, prob: 0.55 },
      { ts: 100_900, call: 'up' as const, prob: 0.8 }, // same bar and direction: the later wins
      { ts: 100_950, call: 'down' as const, prob: 0.52 },
      { ts: 103_000, call: 'down' as const, prob: 0.7 }, // no bar at 103: lands on 101
      { ts: 190_000, call: 'up' as const, prob: 0.9 }, // after the last bar: lands on it
    ];
    const out = chartMarkers(marks, bars, { up: 'g', down: 'r' });
    expect(out.map((m) => `${m.time}:${m.shape}:${m.position}:${m.text}`)).toEqual([
      '100:arrowUp:belowBar:80',
      '100:arrowDown:aboveBar:52',
      '101:arrowDown:aboveBar:70',
      '105:arrowUp:belowBar:90',
    ]);
    expect(chartMarkers(marks, [], { up: 'g', down: 'r' })).toEqual([]);
  });
});

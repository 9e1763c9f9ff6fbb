import { SIGNAL_CLASSES, type SignalClass } from '../../shared/signals';

export type Probs = readonly [number, number, number];

/** A directional call: the model says up or down with enough conviction; null = no call. */
export type SignalCall = 'up' | 'down' | null;

/**
 * When a call starts and when it ends. A call starts when the argmax is up or down with at
 * least `enter`; it holds while its own probability stays at or above `exit` and the opposite
 * class has not taken the argmax. The gap between the two keeps a model hovering around 0.5
 * from drawing an arrow on every signal.
 */
export interface MarkRule {
  enter: number;
  exit: number;
}

export const DEFAULT_MARK_RULE: MarkRule = { enter: 0.5, exit: 0.45 };

/** A call that started: one chart marker. */
export interface SignalMark {
  /** engine ms of the signal that started the call */
  ts: number;
  call: 'up' | 'down';
  /** the called class's probability at that signal */
  prob: number;
}

const DOWN = 0;
const UP = 2;

/** Index of the largest probability (ties go to flat, then to the lower index). */
export function argmaxIndex(p: Probs): 0 | 1 | 2 {
  let best: 0 | 1 | 2 = 1;
  if (p[0] > p[best]) best = 0;
  if (p[2] > p[best]) best = 2;
  return best;
}

export function argmaxClass(p: Probs): SignalClass {
  return SIGNAL_CLASSES[argmaxIndex(p)];
}

/** The call after one signal, given the call before it. */
export function nextCall(prev: SignalCall, p: Probs, rule: MarkRule = DEFAULT_MARK_RULE): SignalCall {
  const k = argmaxIndex(p);
  if (prev !== null) {
    const own = prev === 'up' ? UP : DOWN;
    const opposite = prev === 'up' ? DOWN : UP;
    if (k !== opposite && p[own] >= rule.exit) return prev;
  }
  if (k === UP && p[UP] >= rule.enter) return 'up';
  if (k === DOWN && p[DOWN] >= rule.enter) return 'down';
  return null;
}

/** The mark one signal makes (a call starting or flipping), or null. */
export function markFor(prev: SignalCall, next: SignalCall, ts: number, p: Probs): SignalMark | null {
  if (next === null || next === prev) return null;
  return { ts, call: next, prob: p[next === 'up' ? UP : DOWN] };
}

/** The marks a run of signals makes, oldest first; the store does the same one signal at a time. */
export function selectMarks(
  points: Iterable<{ ts: number; probs: Probs }>,
  rule: MarkRule = DEFAULT_MARK_RULE,
  initial: SignalCall = null,
): SignalMark[] {
  const marks: SignalMark[] = [];
  let call = initial;
  for (const pt of points) {
    const next = nextCall(call, pt.probs, rule);
    const mark = markFor(call, next, pt.ts, pt.probs);
    if (mark) marks.push(mark);
    call = next;
  }
  return marks;
}

/** A chart marker in plain data (structurally a lightweight-charts SeriesMarker). */
export interface MarkerSpec {
  /** bar time, seconds since epoch */
  time: number;
  position: 'aboveBar' | 'belowBar';
  shape: 'arrowUp' | 'arrowDown';
  color: string;
  text: string;
}

export interface MarkerColors {
  up: string;
  down: string;
}

/**
 * Places marks on the bars they fall in: the last bar starting at or before the mark (bars
 * are sparse: a second with no trade has none). Marks older than the first bar are dropped,
 * since the chart would pile them on it. One marker per bar and direction (the latest), so a
 * 1-minute bar does not stack a column of arrows.
 */
export function chartMarkers(marks: readonly SignalMark[], barTimes: readonly { time: number }[], colors: MarkerColors): MarkerSpec[] {
  const out: MarkerSpec[] = [];
  if (barTimes.length === 0) return out;
  const lastIndexOf = new Map<string, number>();
  for (const m of marks) {
    const bar = barAtOrBefore(barTimes, m.ts / 1000);
    if (bar === null) continue;
    const up = m.call === 'up';
    const spec: MarkerSpec = {
      time: bar,
      position: up ? 'belowBar' : 'aboveBar',
      shape: up ? 'arrowUp' : 'arrowDown',
      color: up ? colors.up : colors.down,
      text: `${Math.round(m.prob * 100)}`,
    };
    const key = `${bar}:${m.call}`;
    const seen = lastIndexOf.get(key);
    if (seen !== undefined) out[seen] = spec;
    else {
      lastIndexOf.set(key, out.length);
      out.push(spec);
    }
  }
  // marks arrive in time order, but sort anyway: the chart wants ascending times
  return out.sort((a, b) => a.time - b.time);
}

/** Time of the last bar with time ≤ t, or null when t is before the first bar. */
function barAtOrBefore(bars: readonly { time: number }[], t: number): number | null {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid].time <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : bars[lo - 1].time;
}

/**
 * The one requestAnimationFrame loop. Views register tasks that repaint imperatively when the
 * data they show changed; the loop measures frame intervals and the time spent in the tasks
 * and exposes them as window.__pulsePerf for the benchmark.
 */
export type FrameTask = (now: number) => void;

export interface PulsePerf {
  frames: number;
  /** rAF-to-rAF intervals, last ~600 */
  frameIntervalsMs: number[];
  /** time spent in our frame tasks per frame, last ~600 */
  workMs: number[];
  /** the slowest run of each named task since reset, ms (for diagnosis) */
  taskMaxMs: Record<string, number>;
  /** total time of each named task since reset, ms */
  taskTotalMs: Record<string, number>;
  reset(): void;
}

const KEEP = 600;
const tasks = new Map<FrameTask, string>();

export const perf: PulsePerf = {
  frames: 0,
  frameIntervalsMs: [],
  workMs: [],
  taskMaxMs: {},
  taskTotalMs: {},
  reset() {
    perf.frames = 0;
    perf.frameIntervalsMs.length = 0;
    perf.workMs.length = 0;
    perf.taskMaxMs = {};
    perf.taskTotalMs = {};
  },
};

function keep(list: number[], value: number): void {
  list.push(value);
  if (list.length > KEEP + 120) list.splice(0, list.length - KEEP);
}

let running = false;
let lastFrame = NaN;

function tick(now: number): void {
  requestAnimationFrame(tick);
  if (!Number.isNaN(lastFrame)) keep(perf.frameIntervalsMs, now - lastFrame);
  lastFrame = now;
  const start = performance.now();
  let t0 = start;
  for (const [task, name] of tasks) {
    try {
      task(now);
    } catch (err) {
      console.error(`frame task ${name} failed`, err);
    }
    const t1 = performance.now();
    if (!(t1 - t0 <= (perf.taskMaxMs[name] ?? 0))) perf.taskMaxMs[name] = t1 - t0;
    perf.taskTotalMs[name] = (perf.taskTotalMs[name] ?? 0) + (t1 - t0);
    t0 = t1;
  }
  keep(perf.workMs, t0 - start);
  perf.frames++;
}

/** Starts the loop (once) and publishes the perf probe. */
export function startFrameLoop(): void {
  if (running) return;
  running = true;
  window.__pulsePerf = perf;
  requestAnimationFrame(tick);
}

/** Registers a task run every animation frame; returns its remover. */
export function addFrameTask(name: string, task: FrameTask): () => void {
  tasks.set(task, name);
  return () => tasks.delete(task);
}

/** Percentile of the recent values of one perf list (p in 0..1); NaN when empty. */
export function recentPercentile(list: readonly number[], p: number, last = 120): number {
  const n = Math.min(last, list.length);
  if (n === 0) return NaN;
  const sorted = list.slice(list.length - n).sort((a, b) => a - b);
  return sorted[Math.min(n - 1, Math.floor(p * n))];
}

import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker whose entry sits beside the caller. `entry` is the URL of the entry module,
 * made with `new URL('./x-worker.js', import.meta.url)` in bundled code or a `.ts` URL in source.
 *
 * Bundled (out/main/*.js): the entry is a real .js file and is started directly.
 * Source (vitest, tsx): Node 20 cannot start a .ts worker, so a tiny .mjs bootstrap registers
 * tsx in the worker and imports the entry (see ../../../shared/STACK-NOTES.md).
 */
export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const bootstrap = new URL('./ts-bootstrap.mjs', import.meta.url);
  const workerData = { ...(options.workerData as object | undefined), __pulseEntry: entry.href };
  return new Worker(bootstrap, { ...options, workerData });
}

/** The entry URL for a worker module named `name` beside `base`: `.ts` in source, `.js` when bundled. */
export function workerEntry(base: string, name: string): URL {
  const ext = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, base);
}

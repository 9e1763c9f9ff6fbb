import { configDefaults, defineConfig } from 'vitest/config';

// Vitest 5 uses Map.groupBy / Object.groupBy / Promise.withResolvers, which Node 20 lacks;
// without these a failing test crashes the reporter (see ../shared/STACK-NOTES.md).
type GroupBy = <K, T>(items: Iterable<T>, key: (item: T, i: number) => K) => Map<K, T[]>;
const mapCtor = Map as unknown as { groupBy?: GroupBy };
if (!mapCtor.groupBy) {
  mapCtor.groupBy = (items, key) => {
    const out = new Map();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
    return out;
  };
}
const objCtor = Object as unknown as { groupBy?: (items: Iterable<unknown>, key: (item: unknown, i: number) => PropertyKey) => object };
if (!objCtor.groupBy) {
  objCtor.groupBy = (items, key) => Object.fromEntries(mapCtor.groupBy!(items, key));
}
const promiseCtor = Promise as unknown as { withResolvers?: () => unknown };
if (!promiseCtor.withResolvers) {
  promiseCtor.withResolvers = () => {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
    // The security gate's insecure fixture app is data for its tests, never a test itself.
    exclude: [...configDefaults.exclude, 'tools/**/fixtures/**'],
    pool: 'forks',
    env: { PULSE_LOG_LEVEL: process.env.PULSE_LOG_LEVEL ?? 'error' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

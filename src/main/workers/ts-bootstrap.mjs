// Runs a TypeScript worker entry from source (tests, `tsx` runs): registers tsx's ESM loader
// in this worker, then imports the entry. The built app never uses this file; its workers are
// bundled .js entries beside serve.js (see spawn.ts).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__pulseEntry);

/**
 * Scratch folders for tests that fsync a lot: on tmpfs (/dev/shm) where there is one, since a
 * journal test syncs thousands of entries. tmpfs is RAM and outlives the test run, so every
 * folder is removed after the test file that made it (vitest's forks do not run exit handlers),
 * or at exit outside vitest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
const cleanUp = (): void => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
};
// Under vitest: after the test file that imported this module (registered at its top level).
// Elsewhere (the benchmarks use the same desks): when the process exits.
if (process.env.VITEST) (await import('vitest')).afterAll(cleanUp);
else process.once('exit', cleanUp);

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(process.platform === 'linux' ? '/dev/shm' : tmpdir(), prefix));
  made.push(dir);
  return dir;
}

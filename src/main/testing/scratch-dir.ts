/**
 * Scratch folders for tests that fsync a lot: on tmpfs (/dev/shm) where there is one, since a
 * journal test syncs thousands of entries. tmpfs is RAM and outlives the test run, so every
 * folder is removed after the test file that made it (vitest's forks do not run exit handlers).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered when a test file imports this module, i.e. at the file's top level.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(process.platform === 'linux' ? '/dev/shm' : tmpdir(), prefix));
  made.push(dir);
  return dir;
}

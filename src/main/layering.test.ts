/**
 * The architecture's directions, checked mechanically: only src/main/electron imports electron,
 * the renderer never reaches into src/main, src/shared depends on nothing heavier than zod, and
 * the preload imports only electron and src/shared.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx|mts|mjs)$/.test(name) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) found.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return found;
}

const rel = (f: string) => relative(root, f);
const target = (file: string, spec: string) => (spec.startsWith('.') ? rel(resolve(dirname(file), spec)) : spec);

describe('layering', () => {
  it('imports electron only from src/main/electron and src/preload', () => {
    const offenders = files(join(root, 'src'))
      .filter((f) => !rel(f).startsWith('src/main/electron/') && !rel(f).startsWith('src/preload/'))
      .filter((f) => imports(f).some((s) => s === 'electron' || s.startsWith('electron/')))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('keeps the renderer out of src/main and src/preload', () => {
    const offenders = files(join(root, 'src/renderer')).flatMap((f) =>
      imports(f).map((s) => target(f, s)).filter((t) => t.startsWith('src/main') || t.startsWith('src/preload')).map((t) => `${rel(f)} -> ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps src/shared pure: only relative shared imports and zod', () => {
    const offenders = files(join(root, 'src/shared'))
      .filter((f) => !f.endsWith('.test.ts'))
      .flatMap((f) => imports(f).filter((s) => !(s === 'zod' || (s.startsWith('.') && target(f, s).startsWith('src/shared')))).map((s) => `${rel(f)} -> ${s}`));
    expect(offenders).toEqual([]);
  });

  it('lets the preload import only electron and src/shared', () => {
    const offenders = files(join(root, 'src/preload')).flatMap((f) =>
      imports(f).filter((s) => !(s === 'electron' || target(f, s).startsWith('src/shared'))).map((s) => `${rel(f)} -> ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('loads nothing but electron at run time in the sandboxed preload (no zod, no npm modules)', () => {
    // A sandboxed preload can require only `electron`; a value import of a shared file that imports
    // zod would make the bundle require('zod') and the preload would fail to load in the window.
    const runtime = (f: string) =>
      [...readFileSync(f, 'utf8').matchAll(/^import\s+(?!type\s)[^'"]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
    const reached = new Set<string>();
    const walk = (file: string): void => {
      for (const spec of runtime(file)) {
        if (!spec.startsWith('.')) {
          reached.add(spec);
          continue;
        }
        const next = resolve(dirname(file), spec) + '.ts';
        if (!reached.has(rel(next))) {
          reached.add(rel(next));
          walk(next);
        }
      }
    };
    walk(join(root, 'src/preload/index.ts'));
    expect([...reached].filter((s) => !s.startsWith('src/shared/'))).toEqual(['electron']);
    expect([...reached]).not.toContain('zod');
  });

  it('sees the imports it is meant to police (the checker itself works)', () => {
    expect(imports(join(root, 'src/preload/index.ts'))).toContain('electron');
    expect(imports(join(root, 'src/main/electron/index.ts'))).toContain('electron');
  });
});

import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, JournalCorrupt, verifyJournalFile } from './journal';

const dir = () => mkdtempSync(join(tmpdir(), 'pulse-journal-'));

describe('order journal', () => {
  it('chains every entry to the one before, survives reopening, and verifies', () => {
    const path = join(dir(), 'j.ndjson');
    const { journal } = Journal.open(path);
    for (let i = 0; i < 20; i++) journal.append('order', { i, id: `o-${i}` }, 1000 + i);
    journal.close();
    const again = Journal.open(path);
    expect(again.entries).toHaveLength(20);
    expect(again.torn).toBeNull();
    expect(again.entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (let i = 1; i < 20; i++) expect(again.entries[i]!.prev).toBe(again.entries[i - 1]!.hash);
    again.journal.append('report', { x: 1 });
    again.journal.close();
    expect(verifyJournalFile(path)).toMatchObject({ ok: true, entries: 21, problem: null });
  });

  it('detects a torn last line (a crash mid-write), keeps it aside, and appends on a clean boundary', () => {
    const path = join(dir(), 'j.ndjson');
    const { journal } = Journal.open(path);
    journal.append('order', { a: 1 });
    journal.append('order', { a: 2 });
    journal.close();
    appendFileSync(path, '{"seq":3,"ts":1,"kind":"order","da'); // injected: half an entry, no newline
    expect(verifyJournalFile(path)).toMatchObject({ ok: false, entries: 2, problem: expect.stringMatching(/torn last line 3/) });
    const reopened = Journal.open(path, 777);
    expect(reopened.entries).toHaveLength(2);
    expect(reopened.torn).toMatchObject({ line: 3, keptAt: `${path}.torn-777` });
    expect(readFileSync(`${path}.torn-777`, 'utf8')).toBe('{"seq":3,"ts":1,"kind":"order","da'); // not silently lost
    reopened.journal.append('order', { a: 3 });
    reopened.journal.close();
    expect(verifyJournalFile(path)).toMatchObject({ ok: true, entries: 3 });
  });

  it('refuses to open a journal whose chain is broken before its end, naming the line', () => {
    const path = join(dir(), 'j.ndjson');
    const { journal } = Journal.open(path);
    for (let i = 0; i < 5; i++) journal.append('order', { qty: '1.0', i });
    journal.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = lines[2]!.replace('"qty":"1.0"', '"qty":"9.0"'); // injected: an edited entry
    writeFileSync(path, lines.join('\n'));
    expect(() => Journal.open(path)).toThrow(JournalCorrupt);
    expect(() => Journal.open(path)).toThrow(/corrupt at line 3: hash does not match/);
    expect(verifyJournalFile(path)).toMatchObject({ ok: false, problem: expect.stringMatching(/line 3/) });
  });

  it('on a full disk (file size limit) refuses the entry, leaves no partial line, and keeps the file valid', () => {
    const d = dir();
    const path = join(d, 'j.ndjson');
    // A child process with an 8 KiB file-size limit (ulimit -f; SIGXFSZ ignored so write fails with EFBIG).
    const script = `
      import { Journal } from ${JSON.stringify(new URL('./journal.ts', import.meta.url).pathname)};
      const { journal } = Journal.open(${JSON.stringify(path)});
      let ok = 0, failed = '';
      for (let i = 0; i < 200 && !failed; i++) {
        try { journal.append('order', { i, pad: 'x'.repeat(100) }); ok++; } catch (e) { failed = e.message; }
      }
      console.log(JSON.stringify({ ok, failed }));
    `;
    const file = join(d, 'child.mts');
    writeFileSync(file, script);
    const res = spawnSync('bash', ['-c', `ulimit -f 16; trap '' XFSZ; exec ${process.execPath} --import tsx ${file}`], { encoding: 'utf8', cwd: process.cwd() });
    const out = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as { ok: number; failed: string };
    expect(out.failed).toMatch(/write failed \((EFBIG|ENOSPC)\); no order is sent/);
    expect(out.ok).toBeGreaterThan(10);
    expect(existsSync(path)).toBe(true);
    expect(verifyJournalFile(path)).toMatchObject({ ok: true, entries: out.ok });
  });
});

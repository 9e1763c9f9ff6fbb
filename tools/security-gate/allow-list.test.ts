import { describe, expect, it } from 'vitest';
import { judge, parseAllowList, type AllowEntry } from './allow-list';
import type { Finding } from './finding';

const finding = (check: string, file: string, line: number, snippet: string): Finding => ({ check, file, line, column: 0, snippet, message: '', source: 'own' });
const WHY = 'a reason long enough to be a real, written justification';

describe('allow-list', () => {
  it('rejects entries without a real justification, with unknown keys or bad fields', () => {
    const { entries, errors } = parseAllowList({
      entries: [
        { check: 'A', file: 'a.ts', justification: WHY },
        { check: 'B', file: 'b.ts', justification: 'false positive' },
        { check: 'C', file: 'c.ts' },
        { check: 'D', file: 'd.ts', justification: WHY, reason: 'x' },
        { check: '', file: 'e.ts', line: -1, snippet: ' ', justification: WHY },
      ],
    });
    expect(entries.map((e) => e.check)).toEqual(['A']);
    expect(errors).toHaveLength(4);
    expect(errors[2]).toMatch(/unknown key "reason"/);
    expect(parseAllowList([]).errors).toHaveLength(1);
  });

  it('justifies matching findings, leaves the rest unjustified and reports stale entries', () => {
    const entries: AllowEntry[] = [
      { check: 'X', file: 'w.ts', snippet: 'enableBlinkFeatures: \'\'', justification: WHY },
      { check: 'Y', file: 'w.ts', line: 7, justification: WHY },
      { check: 'Z', file: 'gone.ts', justification: WHY },
    ];
    const findings = [
      finding('X', 'w.ts', 3, "enableBlinkFeatures: '',"),
      finding('X', 'w.ts', 4, "enableBlinkFeatures: 'Foo',"),
      finding('Y', 'w.ts', 7, 'new BrowserWindow({'),
      finding('Y', 'other.ts', 7, 'new BrowserWindow({'),
    ];
    const { justified, unjustified, stale } = judge(findings, entries);
    expect(justified.map((j) => `${j.finding.check}:${j.finding.line}`)).toEqual(['X:3', 'Y:7']);
    expect(unjustified.map((f) => `${f.check}:${f.file}:${f.line}`)).toEqual(['X:w.ts:4', 'Y:other.ts:7']);
    expect(stale.map((e) => e.check)).toEqual(['Z']);
  });
});

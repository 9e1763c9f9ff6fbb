/**
 * The allow-list: each finding the gate accepts is named here with a written reason. An entry
 * matches findings of its check in its file, narrowed by `line` and/or `snippet` (a substring of
 * the finding's source line). An entry that matches nothing is stale and fails the gate, so the
 * list shrinks with the code instead of rotting.
 */
import { readFileSync } from 'node:fs';
import type { Finding } from './finding';

export interface AllowEntry {
  check: string;
  file: string;
  line?: number;
  snippet?: string;
  justification: string;
}

const KEYS = new Set(['check', 'file', 'line', 'snippet', 'justification']);
/** Long enough that "ok" or "false positive" alone won't do. */
const MIN_JUSTIFICATION = 40;

/** Validates the parsed JSON; returns the entries and one message per malformed entry. */
export function parseAllowList(json: unknown): { entries: AllowEntry[]; errors: string[] } {
  const errors: string[] = [];
  const list = (json as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(list)) return { entries: [], errors: ['allow-list: expected { "entries": [ ... ] }'] };
  const entries: AllowEntry[] = [];
  list.forEach((raw: Record<string, unknown>, i) => {
    const where = `allow-list entry ${i} (${String(raw?.check)} in ${String(raw?.file)})`;
    const bad: string[] = [];
    if (typeof raw !== 'object' || raw === null) return errors.push(`allow-list entry ${i}: not an object`);
    for (const k of Object.keys(raw)) if (!KEYS.has(k)) bad.push(`unknown key "${k}"`);
    if (typeof raw.check !== 'string' || !raw.check) bad.push('"check" must be a check id');
    if (typeof raw.file !== 'string' || !raw.file) bad.push('"file" must be a repo-relative path or "N/A"');
    if (raw.line !== undefined && !(Number.isInteger(raw.line) && (raw.line as number) >= 0)) bad.push('"line" must be a line number');
    if (raw.snippet !== undefined && (typeof raw.snippet !== 'string' || !raw.snippet.trim())) bad.push('"snippet" must be non-empty text');
    if (typeof raw.justification !== 'string' || raw.justification.trim().length < MIN_JUSTIFICATION) {
      bad.push(`"justification" must say why, in at least ${MIN_JUSTIFICATION} characters`);
    }
    if (bad.length > 0) errors.push(`${where}: ${bad.join('; ')}`);
    else entries.push(raw as unknown as AllowEntry);
  });
  return { entries, errors };
}

export function loadAllowList(path: string): { entries: AllowEntry[]; errors: string[] } {
  try {
    return parseAllowList(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    return { entries: [], errors: [`allow-list ${path}: ${(err as Error).message}`] };
  }
}

export function matches(entry: AllowEntry, f: Finding): boolean {
  return entry.check === f.check && entry.file === f.file &&
    (entry.line === undefined || entry.line === f.line) &&
    (entry.snippet === undefined || f.snippet.includes(entry.snippet));
}

export interface Judgement {
  justified: Array<{ finding: Finding; entry: AllowEntry }>;
  unjustified: Finding[];
  stale: AllowEntry[];
}

export function judge(findings: Finding[], entries: AllowEntry[]): Judgement {
  const used = new Set<AllowEntry>();
  const justified: Judgement['justified'] = [];
  const unjustified: Finding[] = [];
  for (const finding of findings) {
    const matching = entries.filter((e) => matches(e, finding));
    for (const e of matching) used.add(e);
    if (matching[0]) justified.push({ finding, entry: matching[0] });
    else unjustified.push(finding);
  }
  return { justified, unjustified, stale: entries.filter((e) => !used.has(e)) };
}

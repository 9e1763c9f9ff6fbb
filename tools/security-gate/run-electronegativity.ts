/**
 * Electronegativity through its programmatic API (dist/runner.js: `run(options)` resolves to
 * `{ issues, errors }`; the CLI only prints and always exits 0).
 *
 * Offline and deterministic:
 * - its i18n module fetches the locale from S3 (package.json "i18nSource") before every run; we
 *   replace that module in the require cache with one that loads the bundled en-US strings;
 * - AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK downloads Electron's release list from GitHub (no
 *   timeout) and caches it in the OS temp dir: it is excluded, and `got` is stubbed to fail fast
 *   in case anything else reaches for the network;
 * - the Electron version is passed in (electronVersionOverride) rather than detected;
 * - it scans a staged copy of exactly the files we choose (it would otherwise walk node_modules
 *   to list files), and no output file is written.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Finding } from './finding';

interface EngIssue {
  file: string;
  sample?: string;
  location: { line: number; column: number };
  id: string;
  description: string;
  manualReview: boolean;
  severity: { name: string };
  confidence: { name: string };
}
interface EngResult {
  issues: EngIssue[];
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
}
type EngRun = (options: Record<string, unknown>) => Promise<EngResult>;

/** Checks that need the network; each is excluded and stands in the gate's report as not run. */
export const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const require = createRequire(import.meta.url);
const PKG_DIR = dirname(require.resolve('@doyensec/electronegativity/package.json'));

let runner: EngRun | undefined;

function loadRunner(): EngRun {
  if (runner) return runner;
  const fromPkg = createRequire(join(PKG_DIR, 'package.json'));
  const i18nPath = fromPkg.resolve('./dist/locales/i18n.js');
  const i18n = fromPkg('i18n') as { configure(o: object): void; setLocale(l: string): void };
  const offlineI18n = async () => {
    i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: dirname(i18nPath), updateFiles: false, objectNotation: true, retryInDefaultLocale: true, register: globalThis });
    i18n.setLocale('en-US');
  };
  const noNetwork = Object.assign(() => Promise.reject(new Error('security gate: no network')), { head: () => Promise.reject(new Error('security gate: no network')) });
  stub(i18nPath, offlineI18n);
  stub(fromPkg.resolve('got'), noNetwork);
  runner = fromPkg('./dist/runner.js') as EngRun;
  return runner;
}

function stub(path: string, exports: unknown): void {
  const cache = require.cache as Record<string, unknown>;
  cache[path] = { id: path, filename: path, loaded: true, exports, children: [], paths: [] };
}

// Electronegativity only parses .js/.jsx/.ts/.tsx/.html/.htm and package.json files.
const STAGED_EXT: Record<string, string> = { mts: 'ts', cts: 'ts', mjs: 'js', cjs: 'js' };

export interface EngOutcome {
  findings: Finding[];
  /** files it could not parse: those went unchecked, so the gate fails on them */
  errors: string[];
}

/**
 * Runs electronegativity over `files` (paths relative to `root`). Their copies keep the same
 * relative paths, so findings come back with repo-relative names.
 */
export async function runElectronegativity(root: string, files: string[], electronVersion: string): Promise<EngOutcome> {
  const stage = mkdtempSync(join(tmpdir(), 'pulse-security-gate-'));
  const original = new Map<string, string>();
  try {
    for (const file of files) {
      const ext = file.slice(file.lastIndexOf('.') + 1);
      const staged = STAGED_EXT[ext] ? `${file.slice(0, -ext.length)}${STAGED_EXT[ext]}` : file;
      original.set(staged, file);
      mkdirSync(dirname(join(stage, staged)), { recursive: true });
      const text = readFileSync(resolve(root, file), 'utf8');
      // An `eng-disable` comment would hide a finding from the gate; the allow-list is the only waiver.
      if (/eng-disable/i.test(text)) writeFileSync(join(stage, staged), text.replace(/eng-disable/gi, 'eng_disable'));
      else copyFileSync(resolve(root, file), join(stage, staged));
    }
    const result = await loadRunner()({
      input: stage,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
    });
    const name = (f: string) => (f === 'N/A' ? f : (original.get(f.split('\\').join('/')) ?? f));
    const findings = result.issues.map((i): Finding => ({
      check: i.id,
      file: name(i.file),
      line: i.location.line,
      column: i.location.column,
      snippet: (i.sample ?? '').trim(),
      message: `${i.description} [${i.severity.name}/${i.confidence.name}${i.manualReview ? ', review' : ''}]`,
      source: 'electronegativity',
    }));
    const errors = result.errors.filter((e) => !e.tolerable).map((e) => `electronegativity could not parse ${name(e.file.slice(stage.length + 1))}: ${e.message}`);
    return { findings, errors };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

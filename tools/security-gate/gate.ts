/**
 * The security gate: electronegativity plus our own checks over one app's sources, judged
 * against an allow-list. It passes only with no unjustified finding, no stale allow-list entry
 * and no file left unparsed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { judge, loadAllowList, type Judgement } from './allow-list';
import { sortFindings, type Finding } from './finding';
import { runOwnChecks } from './own-checks';
import { runElectronegativity } from './run-electronegativity';
import { isScript } from './ts-ast';

export interface GateTarget {
  /** absolute */
  root: string;
  /** files and folders under root to scan */
  include: string[];
  /** the Electron main entry, which must call app.enableSandbox() */
  mainEntry?: string;
  /** absolute path of the allow-list; none means nothing is allowed */
  allowList?: string;
}

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/**
 * Pulse: all of src/ runs inside the Electron app (main process: engine + src/main/electron;
 * renderer: src/renderer, its index.html holding the CSP; src/preload), bin/ launches it, and
 * package.json carries the Electron version and the npm scripts' command-line flags.
 */
export const PULSE: GateTarget = {
  root: REPO_ROOT,
  include: ['src', 'bin', 'package.json'],
  mainEntry: 'src/main/electron/index.ts',
  allowList: join(import.meta.dirname, 'allow-list.json'),
};

export interface GateReport extends Judgement {
  files: string[];
  findings: Finding[];
  /** malformed allow-list entries, unparsable files: each fails the gate */
  errors: string[];
  ok: boolean;
}

/** Tests and declaration files never ship, so they are not scanned. */
const SKIPPED = /\.(test|spec)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$/;

export function collectFiles(root: string, include: string[]): string[] {
  const out: string[] = [];
  const visit = (abs: string) => {
    const rel = relative(root, abs).split(sep).join('/');
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs)) if (name !== 'node_modules') visit(join(abs, name));
    } else if (!SKIPPED.test(rel) && (isScript(rel) || /\.html?$/.test(rel) || rel.endsWith('package.json'))) {
      out.push(rel);
    }
  };
  for (const entry of include) visit(resolve(root, entry));
  return out.sort();
}

/** The Electron that is installed, which is the one the app runs on. */
export function installedElectronVersion(from = REPO_ROOT): string {
  const pkg = createRequire(join(from, 'package.json')).resolve('electron/package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export async function runGate(target: GateTarget): Promise<GateReport> {
  const files = collectFiles(target.root, target.include);
  const allow = target.allowList ? loadAllowList(target.allowList) : { entries: [], errors: [] };
  const eng = await runElectronegativity(target.root, files, installedElectronVersion());
  const inputs = files.map((file) => ({ file, text: readFileSync(resolve(target.root, file), 'utf8') }));
  const findings = sortFindings([...eng.findings, ...runOwnChecks(inputs, { mainEntry: target.mainEntry })]);
  const judgement = judge(findings, allow.entries);
  const errors = [...allow.errors, ...eng.errors];
  const ok = errors.length === 0 && judgement.unjustified.length === 0 && judgement.stale.length === 0;
  return { files, findings, errors, ok, ...judgement };
}

/**
 * `npm run security`: runs the gate over Pulse and prints every finding; exits 1 on an
 * unjustified finding, a stale allow-list entry or a file that could not be checked.
 */
import { formatFinding } from './finding';
import { PULSE, runGate } from './gate';
import { EXCLUDED_CHECKS } from './run-electronegativity';

const started = Date.now();
const report = await runGate(PULSE);
const section = (title: string, lines: string[]) => {
  if (lines.length > 0) console.log(`\n${title} (${lines.length})\n${lines.map((l) => `  ${l}`).join('\n')}`);
};

console.log(`security gate: ${report.files.length} files, electronegativity + own checks, ${Date.now() - started} ms`);
console.log(`not run (need the network): ${EXCLUDED_CHECKS.join(', ')}`);
section('justified by the allow-list', report.justified.map(({ finding, entry }) => `${formatFinding(finding)}\n    why: ${entry.justification}`));
section('UNJUSTIFIED findings', report.unjustified.map(formatFinding));
section('STALE allow-list entries (they match no finding: remove them)', report.stale.map((e) => `${e.check}  ${e.file}${e.line ? `:${e.line}` : ''}${e.snippet ? `  "${e.snippet}"` : ''}`));
section('ERRORS', report.errors);
console.log(report.ok ? '\nsecurity gate: pass' : '\nsecurity gate: FAIL');
process.exitCode = report.ok ? 0 : 1;

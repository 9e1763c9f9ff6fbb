/** The secret-leak check of the live adapters' tests: what an adapter said must carry no credential. */
import type { ExecutionReport } from '../../execution';
import type { LogCall } from './recorder';

/**
 * The secrets (and the shapes, e.g. a JWT or a signature parameter) found in the logs and reports,
 * each named by its first characters. Empty secrets are ignored.
 */
export function leaksIn(said: { logs: LogCall[]; reports: ExecutionReport[] }, secrets: readonly string[], shapes: ReadonlyArray<readonly [RegExp, string]> = []): string[] {
  const text = JSON.stringify({ logs: said.logs, reports: said.reports });
  const found = secrets.filter((s) => s.length > 0 && text.includes(s)).map((s) => `${s.slice(0, 8)}…`);
  for (const [shape, name] of shapes) if (shape.test(text)) found.push(name);
  return found;
}

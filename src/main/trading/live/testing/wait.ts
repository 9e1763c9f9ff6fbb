/** Waiting and summarising helpers for the live adapters' tests. */
import type { ExecutionReport } from '../../execution';

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The types of the reports, in order: ['ack', 'fill', …]. */
export const kinds = (rs: ExecutionReport[]) => rs.map((r) => r.type);

export const fillIds = (rs: ExecutionReport[]) => rs.flatMap((r) => (r.type === 'fill' ? [r.fillId] : []));

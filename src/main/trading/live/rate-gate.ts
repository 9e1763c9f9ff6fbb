/**
 * The pause a venue asks for (a 429's Retry-After, a ban, a lockout): while it lasts no request of
 * any kind leaves. Waiting re-reads the gate, so a pause extended meanwhile is honoured too.
 */
export class RateGate {
  private notBefore = 0;

  constructor(private readonly now: () => number) {}

  closeFor(ms: number): void {
    this.notBefore = Math.max(this.notBefore, this.now() + ms);
  }

  async wait(signal: AbortSignal): Promise<void> {
    for (let wait = this.notBefore - this.now(); wait > 0 && !signal.aborted; wait = this.notBefore - this.now()) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
    }
  }
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const s = header.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

// Coinbase Advanced Trade WebSocket: https://docs.cdp.coinbase.com/coinbase-business/advanced-trade-apis/websocket/websocket-overview
/** Resyncs closer together than this count as a run, and each one in a run waits longer. */
const RESYNC_RUN_MS = 10_000;

/**
 * Restarts for a resync go out at once, but a run of them (a venue sending something refused
 * every time, even in its snapshots) backs off up to backoffMaxMs, so a bad stream can't turn
 * into a reconnect storm. A new connection cancels a restart still waiting.
 */
export class RestartPacer {
  private last = -Infinity;
  private delay = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly r: { backoffInitialMs: number; backoffMaxMs: number }, private readonly restart: (reason: string) => void, private readonly warn: (line: string) => void) {}

  request(reason: string): void {
    const now = Date.now();
    this.delay = now - this.last < RESYNC_RUN_MS ? Math.min(Math.max(this.delay * 2, this.r.backoffInitialMs), this.r.backoffMaxMs) : 0;
    this.last = now;
    this.cancel();
    if (this.delay === 0) return this.restart(reason);
    this.warn(`coinbase: another resync within ${RESYNC_RUN_MS / 1000} s; restarting in ${this.delay} ms`);
    this.timer = setTimeout(() => this.restart(reason), this.delay);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

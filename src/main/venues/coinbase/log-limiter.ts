// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/** At most `burst` log lines a second; the rest are counted and summed up in one line (a garbage stream must not flood the log). */
export class LogLimiter {
  private window = 0;
  private inWindow = 0;
  private suppressed = 0;

  constructor(private readonly sink: (level: 'info' | 'warn', line: string) => void, private readonly burst = 20) {}

  log(level: 'info' | 'warn', line: string): void {
    const now = Date.now();
    if (now - this.window >= 1000) {
      if (this.suppressed > 0) this.sink('warn', `coinbase: ${this.suppressed} more log lines suppressed in the last second`);
      this.window = now;
      this.inWindow = 0;
      this.suppressed = 0;
    }
    if (++this.inWindow > this.burst) {
      this.suppressed++;
      return;
    }
    this.sink(level, line);
  }
}

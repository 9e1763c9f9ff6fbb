// GET {streamUrl}/v3/accounts/{accountID}/transactions/stream: https://developer.oanda.com/rest-live-v20/transaction-ep/
// ("Each JSON object is serialized into a single line of text ... TransactionHeartbeats are sent every 5 seconds.")
/**
 * The account's transaction stream on the shared HTTP line-stream transport (breaker, backoff
 * with jitter, heartbeat watchdog: ../../../collectors/http-stream.ts). It only reads lines; what
 * they mean for orders, and catching up on what was missed, is the execution's job. A refused
 * token stops the stream (retrying cannot help) and says so once.
 */
import type { VenueStateName } from '../../../../shared/frames';
import type { ResilienceSettings } from '../../../collectors/connection';
import { HttpStreamConnection } from '../../../collectors/http-stream';
import { TOKEN_REJECTED } from './http';
import { readStreamLine, type Transaction } from './messages';

export interface TransactionStreamHandlers {
  onOpen(): void;
  onTransaction(tx: Transaction): void;
  onHeartbeat(lastTransactionID: number | null): void;
  /** a line that could not be read: something may have been missed */
  onBadLine(why: string): void;
  onDown(reason: string): void;
  /** the stream gave up for good (a refused token) */
  onStopped(reason: string): void;
  log(level: 'info' | 'warn' | 'error', msg: string): void;
}

export class TransactionStream {
  private readonly conn: HttpStreamConnection;
  private state: VenueStateName = 'connecting';

  constructor(url: string, resilience: ResilienceSettings, headers: () => Record<string, string>, redact: (text: string) => string, h: TransactionStreamHandlers) {
    this.conn = new HttpStreamConnection('oanda transactions', () => url, resilience, {
      onOpen: () => h.onOpen(),
      onMessage: (text) => {
        const line = readStreamLine(text);
        if (line.kind === 'tx') h.onTransaction(line.tx);
        else if (line.kind === 'heartbeat') h.onHeartbeat(line.lastTransactionID);
        else h.onBadLine(redact(line.why));
      },
      onDown: (reason) => h.onDown(redact(reason)),
      onState: (state, reason) => {
        const was = this.state;
        this.state = state;
        if (state === 'live' && was !== 'live') h.log('info', 'oanda: transaction stream live');
        if (state === 'stopped' && reason) h.onStopped(redact(reason));
      },
      onReconnect: () => {},
      log: (level, msg) => h.log(level, redact(msg)),
    }, {
      headers,
      describeRefusal: (status, body) => (status === 401 ? `${TOKEN_REJECTED} (HTTP 401 on the transaction stream)` : redact(`transaction stream refused (HTTP ${status}): ${body.slice(0, 200)}`)),
    });
  }

  get isLive(): boolean {
    return this.state === 'live';
  }

  start(): void {
    this.conn.start();
  }

  stop(): Promise<void> {
    return this.conn.stop();
  }
}

/**
 * One client's subscriptions and the book version it holds. Commands are validated (zod) here:
 * nothing the renderer says is trusted.
 */
import { parseCommand, type Command, type ReplayCommand } from '../../shared/protocol';
import type { AboutInfo } from '../../shared/about';
import type { TradingCommand } from '../../shared/trading';
import type { MarketBook } from '../market/market-book';
import type { ClientLink } from './client-link';

export interface Subscription {
  book: MarketBook;
  /** version the client holds; NaN until it has had a snapshot */
  version: number;
  needsSnapshot: boolean;
}

export interface SessionHost {
  findBook(venue: string, symbol: string): MarketBook | undefined;
  onSessionClosed(session: ClientSession): void;
  /** trading commands go to the desk; the session only carries them */
  onTradingCommand?(command: TradingCommand, session: ClientSession): void;
  /** replay controls go to the engine's replay venues */
  onReplayCommand?(command: ReplayCommand, session: ClientSession): void;
  /** the About panel's facts */
  about?(): AboutInfo;
}

export type SessionRole = 'trader' | 'risk';

const TRADING = new Set<string>(['place-order', 'cancel-order', 'replace-order', 'cancel-all', 'flatten', 'kill-switch']);

export class ClientSession {
  readonly subs = new Map<MarketBook, Subscription>();
  framesSent = 0;
  bytesSent = 0;
  skippedFrames = 0;
  private closed = false;

  constructor(readonly link: ClientLink, private readonly host: SessionHost, readonly role: SessionRole = 'trader') {}

  handleText(text: string): void {
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      this.link.sendControl({ type: 'error', code: 'bad-command', message: parsed.error, ...(parsed.clientOrderId ? { clientOrderId: parsed.clientOrderId } : {}) });
      return;
    }
    const command = parsed.command;
    if (TRADING.has(command.type)) {
      if (!this.host.onTradingCommand) this.link.sendControl({ type: 'error', code: 'no-trading', message: 'trading is not available on this engine' });
      else this.host.onTradingCommand(command as TradingCommand, this);
      return;
    }
    if (command.type === 'replay') {
      if (!this.host.onReplayCommand) this.link.sendControl({ type: 'error', code: 'no-replay', message: 'replay is not available on this engine' });
      else this.host.onReplayCommand(command, this);
      return;
    }
    this.handle(command as Command);
  }

  handle(command: Command): void {
    if (command.type === 'ping') {
      this.link.sendControl({ type: 'pong', id: command.id });
      return;
    }
    if (command.type === 'about') {
      if (this.host.about) this.link.sendControl({ type: 'about', about: this.host.about() });
      else this.link.sendControl({ type: 'error', code: 'no-about', message: 'this engine does not describe itself' });
      return;
    }
    const book = this.host.findBook(command.venue, command.symbol);
    if (!book) {
      this.link.sendControl({ type: 'error', code: 'unknown-book', message: `no book ${command.symbol} on venue ${command.venue}` });
      return;
    }
    if (command.type === 'unsubscribe') {
      this.subs.delete(book);
      return;
    }
    const sub = this.subs.get(book);
    if (sub) sub.needsSnapshot = true;
    else if (command.type === 'subscribe') this.subs.set(book, { book, version: NaN, needsSnapshot: true });
    else this.link.sendControl({ type: 'error', code: 'not-subscribed', message: `subscribe to ${command.venue}/${command.symbol} before asking for its snapshot` });
  }

  send(frame: ArrayBuffer): void {
    this.link.sendFrame(frame);
    this.framesSent++;
    this.bytesSent += frame.byteLength;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.subs.clear();
    this.host.onSessionClosed(this);
  }
}

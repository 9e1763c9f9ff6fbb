import type { Command } from '../../shared/protocol';
import type { OutgoingCommand } from './terminal-transport';

type SubscribeCommand = Extract<Command, { type: 'subscribe' }>;

/** Remembers live subscriptions so a transport can replay them after a reconnect. */
export class Subscriptions {
  private readonly active = new Map<string, SubscribeCommand>();

  /** Records subscribe/unsubscribe commands; other commands are ignored. */
  note(command: OutgoingCommand): void {
    if (command.type === 'subscribe') this.active.set(`${command.venue}\u0000${command.symbol}`, command);
    else if (command.type === 'unsubscribe') this.active.delete(`${command.venue}\u0000${command.symbol}`);
  }

  list(): SubscribeCommand[] {
    return [...this.active.values()];
  }
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 10_000 };

/** Capped exponential backoff with jitter: a delay in [cap/2, cap], cap = min(max, base·2^attempt). */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** Parses a control text message; null when it is not a JSON object with a string `type`. */
export function parseControl<T extends { type: string }>(text: string): T | null {
  try {
    const msg: unknown = JSON.parse(text);
    return typeof msg === 'object' && msg !== null && typeof (msg as { type?: unknown }).type === 'string' ? (msg as T) : null;
  } catch {
    return null;
  }
}

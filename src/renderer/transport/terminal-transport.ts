import type { PulseTransport } from '../../shared/bridge';
import type { Command } from '../../shared/protocol';
import type { TradingCommand } from '../../shared/trading';

/** Everything the renderer sends: market-data commands and trading commands (both JSON text). */
export type OutgoingCommand = Command | TradingCommand;

/**
 * The bridge contract with a `send` that also carries trading commands. bridge.ts types `send`
 * with market-data commands only; the engine already accepts both on the same channel.
 */
export interface TerminalTransport extends PulseTransport {
  send(command: OutgoingCommand): void;
}

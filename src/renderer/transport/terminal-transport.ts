import type { PulseTransport } from '../../shared/bridge';
import type { Command, ReplayCommand } from '../../shared/protocol';
import type { TradingCommand } from '../../shared/trading';

/** Everything the renderer sends: market-data, trading and replay commands (all JSON text). */
export type OutgoingCommand = Command | TradingCommand | ReplayCommand;

/**
 * The bridge contract with a `send` that also carries trading commands. bridge.ts types `send`
 * with market-data commands only; the engine already accepts both on the same channel.
 */
export interface TerminalTransport extends PulseTransport {
  send(command: OutgoingCommand): void;
}

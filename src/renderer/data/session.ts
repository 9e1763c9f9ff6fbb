import type { ControlMessage, PerfMessage } from '../../shared/protocol';
import type { TerminalTransport } from '../transport/terminal-transport';
import { Market } from './market';
import type { Selection } from './selection';
import { SignalStore } from './signal-store';
import { createTradingClient, type TradingClient } from './trading-client';
import { createTradingStore, type TradingStore } from './trading-store';
import type { UiStore } from './ui-store';
import { createArbitrageStore, type ArbitrageStore } from './arbitrage-store';
import { createReplayClient, type ReplayClient } from './replay-store';

const PING_EVERY_MS = 2000;

export interface Session {
  readonly market: Market;
  /** order commands; their results arrive in the trading store */
  readonly trading: TradingClient;
  readonly tradingStore: TradingStore;
  /** model signals and inference status: advice only, nothing routes them to orders */
  readonly signals: SignalStore;
  /** cross-venue opportunities and the consolidated book of the followed symbol */
  readonly arbitrage: ArbitrageStore;
  /** replay venues' positions and their controls (`--replay`) */
  readonly replay: ReplayClient;
  /** last ping round trip, ms (NaN before the first pong) */
  rttMs(): number;
  /** asks the engine for the About panel's facts (they arrive in the UI store) */
  requestAbout(): void;
  /** the engine's latest `perf` message (once a second), null before the first */
  enginePerf(): PerfMessage | null;
  stop(): void;
}

/**
 * Wires a transport to the hot data (Market, signals), the UI store and the trading store:
 * control messages update the venue list, the orders and the signals, selection changes
 * (un)subscribe, gaps ask for snapshots, the link state marks books stale. Plain TS, no DOM.
 */
export function startSession(transport: TerminalTransport, ui: UiStore, tradingStore: TradingStore = createTradingStore()): Session {
  const trading = createTradingClient((command) => transport.send(command), tradingStore, () => ui.getState().link);
  const market = new Market((venue, symbol) => transport.send({ type: 'snapshot', venue, symbol }));
  const signals = new SignalStore();
  const arbitrage = createArbitrageStore();
  const replay = createReplayClient((command) => transport.send(command));
  let subscribed: Selection | null = null;
  let rtt = NaN;
  let perf: PerfMessage | null = null;
  let pingId = 0;
  const pingSent = new Map<number, number>();

  const follow = (next: Selection | null): void => {
    if (subscribed && next && subscribed.venue === next.venue && subscribed.symbol === next.symbol) return;
    if (subscribed) {
      transport.send({ type: 'unsubscribe', venue: subscribed.venue, symbol: subscribed.symbol });
      market.untrack(subscribed.venue, subscribed.symbol);
    }
    subscribed = next;
    if (next) {
      market.track(next.venue, next.symbol);
      transport.send({ type: 'subscribe', venue: next.venue, symbol: next.symbol });
    }
  };

  const onControl = (msg: ControlMessage): void => {
    switch (msg.type) {
      case 'hello':
        ui.getState().setHello(msg.engine, msg.frameIntervalMs, msg.venues);
        tradingStore.getState().setRole(msg.role ?? 'trader');
        break;
      case 'venues':
        ui.getState().setVenues(msg.venues);
        break;
      case 'about':
        ui.getState().setAbout(msg.about);
        break;
      case 'pong': {
        const sent = pingSent.get(msg.id);
        if (sent !== undefined) rtt = performance.now() - sent;
        pingSent.delete(msg.id);
        break;
      }
      case 'error':
        // a refused order shows on its ticket and in the rejects, not as a terminal-wide error
        if (!msg.clientOrderId) ui.getState().setError(`${msg.code}: ${msg.message}`);
        tradingStore.getState().error(msg);
        break;
      case 'orders':
      case 'order':
      case 'fill':
      case 'positions':
      case 'risk':
        tradingStore.getState().apply(msg);
        break;
      case 'signal':
        signals.onSignal(msg);
        break;
      case 'inference':
        signals.setStatus(msg.status);
        break;
      case 'perf':
        perf = msg;
        break;
      case 'replay':
        replay.store.getState().setVenues(msg.venues);
        break;
      case 'arbitrage':
      case 'consolidated':
        arbitrage.getState().apply(msg);
        break;
    }
  };

  const unsubscribeUi = ui.subscribe((state, prev) => {
    if (state.selection !== prev.selection) follow(state.selection);
  });

  transport.connect({
    onFrame: (frame) => market.onFrame(frame),
    onControl,
    onState: (state) => {
      ui.getState().setLink(state);
      if (state === 'open') market.setLinkUp();
      else market.setLinkDown();
    },
  });
  follow(ui.getState().selection);

  const timer = setInterval(() => {
    if (ui.getState().link !== 'open') return;
    market.retrySnapshots();
    pingSent.clear();
    pingId = (pingId + 1) % 1_000_000;
    pingSent.set(pingId, performance.now());
    transport.send({ type: 'ping', id: pingId });
  }, PING_EVERY_MS);

  return {
    market,
    trading,
    tradingStore,
    signals,
    arbitrage,
    replay,
    rttMs: () => rtt,
    requestAbout: () => transport.send({ type: 'about' }),
    enginePerf: () => perf,
    stop: () => {
      clearInterval(timer);
      unsubscribeUi();
      transport.close();
    },
  };
}

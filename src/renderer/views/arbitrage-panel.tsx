import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { ArbOpportunity } from '../../shared/arbitrage';
import { durationNow, fmtBps, fmtDuration, fmtProfit } from '../data/arbitrage-store';
import { uiStore, useUi } from '../data/ui-store';
import { ConsolidatedBook } from './consolidated-book';
import { useSession } from './session-context';
import './arbitrage-panel.css';

/** Ended opportunities shown under the live ones. */
const RECENT_SHOWN = 8;

/** Re-renders every `ms` while `on`, so durations keep counting between messages. */
function useTick(ms: number, on: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(performance.now()), ms);
    return () => clearInterval(t);
  }, [ms, on]);
  return now;
}

function Opportunity({ o, receivedMs, now }: { o: ArbOpportunity; receivedMs: number; now: number }) {
  const ended = o.endedAt !== null;
  return (
    <div
      className={ended ? 'arb-row ended' : 'arb-row'}
      data-testid="arb-opportunity"
      data-state={ended ? 'ended' : 'live'}
      data-symbol={o.symbol}
      data-buy={o.buyVenue}
      data-sell={o.sellVenue}
      title={`${o.id}\ngross ${fmtBps(o.grossBps)} bps, fees ${o.buyFeeBps} + ${o.sellFeeBps} bps; walks ${o.buyLevels} ask / ${o.sellLevels} bid levels; peak ${fmtBps(o.peakNetBps)} bps`}
      onClick={() => uiStore.getState().selectSymbol(o.symbol)}
    >
      <div className="arb-l1">
        <span className="arb-sym">{o.symbol}</span>
        <span className="arb-net num" data-f="net-bps">
          {fmtBps(o.netBps)} bps
        </span>
        <span className="arb-profit num" data-f="profit">
          {fmtProfit(o.profit)} {o.quote}
        </span>
        <span className="grow" />
        <span className="arb-dur num" data-f="duration" title={ended ? 'first seen → ended' : 'first seen → now'}>
          {fmtDuration(durationNow(o, receivedMs, now))}
        </span>
      </div>
      <div className="arb-l2 num">
        <span className="arb-buy">
          buy {o.buyVenue} @ {o.buyPrice}
        </span>
        <span className="arb-sell">
          sell {o.sellVenue} @ {o.sellPrice}
        </span>
        <span className="arb-size" data-f="size">
          × {o.size}
        </span>
      </div>
    </div>
  );
}

/**
 * Crossed markets between venues net of taker fees: live ones first (best net bps first), the
 * recently ended greyed under them, then the selected symbol's book across venues. A row selects
 * its symbol. Information only: nothing here places an order.
 */
export function ArbitragePanel({ visible }: { visible: boolean }) {
  const session = useSession();
  const link = useUi((s) => s.link);
  const state = useStore(session.arbitrage, (s) => s.state);
  const receivedMs = useStore(session.arbitrage, (s) => s.stateReceivedMs);
  const lastAlert = useStore(session.arbitrage, (s) => s.alerts[0]);
  const now = useTick(250, visible && (state?.live.length ?? 0) > 0);
  const live = state?.live ?? [];
  const recent = (state?.recent ?? []).slice(0, RECENT_SHOWN);
  const fee = state?.takerFeeBps.default;
  return (
    <section className="panel arbitrage" data-testid="arbitrage-panel" data-live={live.length} data-state={!state ? 'waiting' : link !== 'open' ? 'link-down' : 'live'}>
      <header className="panel-head">
        <span className="panel-title">Arbitrage</span>
        <span className="panel-sub" data-testid="arb-live-count">
          {live.length} live
        </span>
        <span className="grow" />
        {state && (
          <span className="panel-note" title={`taker fees, bps: ${Object.entries(state.takerFeeBps).map(([v, b]) => `${v} ${b}`).join(', ')}; alerts at most every ${state.alertIntervalSeconds} s per pair`}>
            fees {fee} bps{state.crossedUnderFees > 0 ? ` · ${state.crossedUnderFees} under fees` : ''}
          </span>
        )}
      </header>
      {lastAlert && (
        <div className="arb-alert" data-testid="arb-alert" title="the latest alert: once when an opportunity appears, not again for the pair within the alert interval">
          ▲ {lastAlert.symbol}: buy {lastAlert.buyVenue}, sell {lastAlert.sellVenue} · {fmtBps(lastAlert.netBps)} bps · {new Date(lastAlert.ts).toLocaleTimeString()}
        </div>
      )}
      <div className="arb-list" data-testid="arb-list">
        {!state && <div className="arb-empty">Waiting for the engine…</div>}
        {state && live.length === 0 && <div className="arb-empty">No crossed markets net of fees right now</div>}
        {live.map((o) => (
          <Opportunity key={o.id} o={o} receivedMs={receivedMs} now={now} />
        ))}
        {recent.length > 0 && <div className="arb-sep">recent</div>}
        {recent.map((o) => (
          <Opportunity key={o.id} o={o} receivedMs={receivedMs} now={now} />
        ))}
      </div>
      <ConsolidatedBook />
    </section>
  );
}

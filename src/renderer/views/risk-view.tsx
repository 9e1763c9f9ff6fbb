import { useEffect, useRef } from 'react';
import type { LimitUsage, PositionView } from '../../shared/trading';
import { fmtTimeMicros } from '../data/format';
import { useTrading } from '../data/trading-store';
import { useUi } from '../data/ui-store';
import { addFrameTask } from './frame-loop';
import { toggleKillSwitch } from './order-actions';
import { PnlPainter, fmtPnl } from './pnl-painter';
import { useSession } from './session-context';
import { VENUE_METRICS, VenuePainter } from './venue-painter';
import '../styles/risk.css';

const time = (ms: number | null): string => (ms === null ? '' : fmtTimeMicros(ms * 1000).slice(0, 8));
const money = (n: number): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 0 }) : '–');
const HEALTH_METRICS = new Set(['msgsPerSec', 'gaps', 'latencyP99Us']);

const LIMIT_LABELS: Record<string, string> = {
  maxGrossExposure: 'Gross exposure',
  maxOpenOrders: 'Open orders',
  maxOrdersPerSecond: 'Order rate /s',
  dailyLossLimit: 'Daily loss',
  maxPosition: 'Position',
};

function fmtUsage(u: LimitUsage): string {
  const f = (n: number) => (u.max >= 1000 ? money(n) : Number.isInteger(n) ? String(n) : n.toFixed(4).replace(/\.?0+$/, ''));
  return `${f(u.used)} / ${f(u.max)}`;
}

/** One limit's usage as a bar: green, amber from 75 %, red from 95 %. */
function UsageBar({ u }: { u: LimitUsage }) {
  const ratio = u.max > 0 ? u.used / u.max : 0;
  const level = ratio >= 0.95 ? 'hot' : ratio >= 0.75 ? 'warm' : 'ok';
  return (
    <div className={`rk-usage ${level}`} data-testid="risk-usage" data-limit={u.limit} data-scope={u.scope} data-used={u.used} data-max={u.max}>
      <div className="rk-ulabel">
        <span>
          {LIMIT_LABELS[u.limit] ?? u.limit}
          {u.scope !== 'all' && <i>{u.scope}</i>}
        </span>
        <span className="num">{fmtUsage(u)}</span>
      </div>
      <div className="rk-bar">
        <i style={{ transform: `scaleX(${Math.min(1, Math.max(0, ratio))})` }} />
      </div>
    </div>
  );
}

function PositionLine({ p }: { p: PositionView }) {
  return (
    <tr data-testid="risk-position" data-venue={p.venue} data-symbol={p.symbol} data-qty={p.qty}>
      <td className="sym" title={`${p.venue} ${p.symbol}`}>
        {p.symbol}
        <i>{p.venue}</i>
      </td>
      <td className={`n ${Number(p.qty) > 0 ? 'long' : Number(p.qty) < 0 ? 'short' : ''}`}>{p.qty}</td>
      <td className="n pnl" data-upnl="" data-venue={p.venue} data-symbol={p.symbol} data-qty={p.qty} data-avg={p.avgPrice ?? ''} data-engine={p.unrealizedPnl} />
      <td className={`n pnl ${p.realizedPnl > 0 ? 'pos' : p.realizedPnl < 0 ? 'neg' : ''}`}>{fmtPnl(p.realizedPnl - p.fees)}</td>
      <td className="n">{money(p.exposure)}</td>
    </tr>
  );
}

/**
 * The risk desk's view (both roles see it): kill switch, exposure and daily PnL, each limit's
 * usage, positions per venue/symbol, rejects as they happen, and venue health.
 */
export function RiskView() {
  const session = useSession();
  const risk = useTrading((s) => s.risk);
  const positions = useTrading((s) => s.positions);
  const role = useTrading((s) => s.role);
  const link = useUi((s) => s.link);
  const venues = useUi((s) => s.venues);
  const rootRef = useRef<HTMLElement>(null);
  const healthRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const pnl = new PnlPainter(rootRef.current!, session.market);
    const health = new VenuePainter(healthRef.current!, session);
    const a = addFrameTask('risk-pnl', (now) => pnl.paint(now));
    const b = addFrameTask('risk-health', (now) => health.paint(now));
    return () => {
      a();
      b();
    };
  }, [session]);

  const ks = risk?.killSwitch ?? { engaged: false, reason: '', at: null };
  const rejects = (risk?.recentRejects ?? []).slice(-12).reverse();
  const held = positions.filter((p) => Number(p.qty) !== 0 || p.realizedPnl !== 0);

  return (
    <section ref={rootRef} className="panel risk" data-testid="risk-view" data-role={role}>
      <header className="panel-head">
        <span className="panel-title">Risk</span>
        <span className="panel-sub">{role === 'risk' ? 'risk desk · view only' : 'trader'}</span>
        <span className="grow" />
        {!risk && <span className="panel-note">waiting for the engine…</span>}
      </header>
      <div className="rk-body">
        <div className={ks.engaged ? 'rk-kill engaged' : 'rk-kill'}>
          <div className="rk-kill-state" data-testid="kill-switch-state" data-engaged={ks.engaged ? 'true' : 'false'}>
            <b>{ks.engaged ? 'KILL SWITCH ENGAGED' : 'Kill switch off'}</b>
            <span>{ks.engaged ? `${ks.reason || 'no reason given'} · since ${time(ks.at)} UTC` : ks.at ? `released ${time(ks.at)} UTC` : 'orders flow through pre-trade risk'}</span>
          </div>
          <button
            type="button"
            className={ks.engaged ? 'rk-kill-btn release' : 'rk-kill-btn'}
            data-testid="kill-switch"
            disabled={link !== 'open' || !risk}
            onClick={() => void toggleKillSwitch(session, !ks.engaged)}
          >
            {ks.engaged ? 'Release' : 'KILL'}
          </button>
        </div>

        <div className="rk-sum">
          <div>
            <label>Gross exp.</label>
            <span className="num" data-testid="risk-gross">
              {money(risk?.grossExposure ?? NaN)}
            </span>
          </div>
          <div>
            <label>Net exp.</label>
            <span className="num" data-testid="risk-net">
              {money(risk?.netExposure ?? NaN)}
            </span>
          </div>
          <div>
            <label>Day PnL</label>
            <span className={`num pnl ${(risk?.dailyPnl ?? 0) > 0 ? 'pos' : (risk?.dailyPnl ?? 0) < 0 ? 'neg' : ''}`} data-testid="risk-daily-pnl">
              {risk ? fmtPnl(risk.dailyPnl) : '–'}
            </span>
          </div>
          <div>
            <label>Open ord.</label>
            <span className="num">{risk?.openOrders ?? '–'}</span>
          </div>
        </div>

        <h4>Limits</h4>
        <div className="rk-limits">
          {(risk?.usage ?? []).map((u) => (
            <UsageBar key={`${u.limit}/${u.scope}`} u={u} />
          ))}
        </div>

        <h4>
          Positions <i>unrealised marked live where followed · realised net of fees</i>
        </h4>
        <table className="bl rk-pos">
          <thead>
            <tr>
              <th>Symbol</th>
              <th className="n">Qty</th>
              <th className="n">Unreal.</th>
              <th className="n">Real.</th>
              <th className="n">Exp.</th>
            </tr>
          </thead>
          <tbody>
            {held.map((p) => (
              <PositionLine key={`${p.venue}/${p.symbol}`} p={p} />
            ))}
          </tbody>
        </table>
        {held.length === 0 && <div className="rk-empty">flat everywhere</div>}

        <h4>
          Recent rejects <i>{risk?.recentRejects.length ?? 0}</i>
        </h4>
        <div className="rk-rejects">
          {rejects.map((r) => (
            <div key={`${r.clientOrderId}-${r.ts}`} className="rk-reject" data-testid="risk-reject" title={r.message}>
              <span className="t">{time(r.ts)}</span>
              <b>{r.limit}</b>
              <span className="msg">{r.message.replace(`${r.limit}: `, '')}</span>
            </div>
          ))}
          {rejects.length === 0 && <div className="rk-empty">none</div>}
        </div>

        <h4>Venue health</h4>
        <div ref={healthRef} className="rk-health">
          {venues.map((v) => (
            <div key={v.id} className="rk-venue" data-venue={v.id} data-state="">
              <span className="vname">{v.id}</span>
              <span className="vstate">…</span>
              {VENUE_METRICS.filter(([name]) => HEALTH_METRICS.has(name)).map(([name, label]) => (
                <span key={name} className="rk-vm">
                  <label>{label}</label>
                  <span data-metric={name}>–</span>
                </span>
              ))}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

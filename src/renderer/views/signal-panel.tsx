import { useEffect, useRef } from 'react';
import { SIGNAL_CLASSES } from '../../shared/signals';
import { venueSymbols } from '../data/selection';
import { uiStore, useUi } from '../data/ui-store';
import { addFrameTask } from './frame-loop';
import { useSession } from './session-context';
import { SignalPainter } from './signal-painter';
import '../styles/signals.css';

const RUNTIME = [
  ['horizon', 'horizon'],
  ['p50', 'p50 ms'],
  ['p99', 'p99 ms'],
  ['runs', 'runs'],
] as const;

/**
 * The model's view of the selected venue: the inference runtime (provider, horizon, latency),
 * the selected symbol's class probabilities, and one row per symbol of the venue. React lays it
 * out; SignalPainter fills the numbers. Advice only: nothing here can place an order.
 */
export function SignalPanel({ visible }: { visible: () => boolean }) {
  const session = useSession();
  const venues = useUi((s) => s.venues);
  const selection = useUi((s) => s.selection);
  const rootRef = useRef<HTMLElement>(null);
  const visibleRef = useRef(visible);
  visibleRef.current = visible;

  useEffect(() => {
    const painter = new SignalPainter(rootRef.current!, session.signals, () => uiStore.getState().link, () => visibleRef.current());
    return addFrameTask('signals', (now) => painter.paint(now));
  }, [session]);

  const symbols = selection ? venueSymbols(venues, selection.venue) : [];
  return (
    <section ref={rootRef} className="panel signals" data-testid="signal-panel" data-venue={selection?.venue ?? ''} data-state="waiting">
      <header className="panel-head">
        <span className="panel-title">Signals</span>
        <span className="panel-sub">{selection?.venue ?? '—'}</span>
        <span className="grow" />
        <span className="sg-provider" data-testid="signal-provider" data-provider="" data-fallback="false">
          –
        </span>
      </header>
      <div className="sg-body">
        <div className="sg-notice" hidden />
        <div className="sg-runtime">
          {RUNTIME.map(([name, label]) => (
            <div key={name} className="sg-m">
              <label>{label}</label>
              <span data-f={name}>–</span>
            </div>
          ))}
        </div>
        {selection && (
          <div className="sg-detail" data-testid="signal-detail" data-symbol={selection.symbol} data-class="">
            <div className="sg-dhead">
              <span className="sg-dsym">{selection.symbol}</span>
              <span className="sg-bigcall">–</span>
              <span className="grow" />
              <span className="sg-dage" data-f="age" title="since the last signal arrived">
                –
              </span>
            </div>
            {SIGNAL_CLASSES.map((c) => (
              <div key={c} className={`sg-prob ${c}`}>
                <label>{c}</label>
                <span className="sg-track">
                  <i className="sg-fill" />
                </span>
                <span className="sg-pct">–</span>
              </div>
            ))}
            <div className="sg-dfoot" title="book update → result: features, queueing, inference">
              last latency <span data-f="latency">–</span>
            </div>
          </div>
        )}
        <div className="sg-rows">
          {symbols.map((sym) => (
            <div
              key={sym}
              className={sym === selection?.symbol ? 'sg-row sel' : 'sg-row'}
              data-testid="signal-row"
              data-symbol={sym}
              data-class=""
              onClick={() => uiStore.getState().selectSymbol(sym)}
            >
              <span className="sg-sym">{sym}</span>
              <span className="sg-stack">
                <i className="down" />
                <i className="flat" />
                <i className="up" />
              </span>
              <span className="sg-call">–</span>
              <span className="sg-age">–</span>
            </div>
          ))}
          {symbols.length === 0 && <div className="sg-empty">No symbols</div>}
        </div>
        <div className="sg-advice" data-testid="signal-advice">
          Advice only — never places orders
        </div>
      </div>
    </section>
  );
}

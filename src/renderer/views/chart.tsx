import { useEffect, useRef } from 'react';
import { CANDLE_INTERVALS, CANDLE_INTERVAL_LABELS } from '../data/candles';
import { uiStore, useUi } from '../data/ui-store';
import { ChartPainter } from './chart-painter';
import { addFrameTask } from './frame-loop';
import { useSession } from './session-context';
import '../styles/chart.css';

const LEGEND = ['O', 'H', 'L', 'C', 'V'];

/** Candles + volume from the selected book's trades, with the model's calls as markers. */
export function Chart() {
  const session = useSession();
  const selection = useUi((s) => s.selection);
  const interval = useUi((s) => s.candleInterval);
  const markersOn = useUi((s) => s.signalMarkers);
  const hostRef = useRef<HTMLElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const emptyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const painter = new ChartPainter(
      { host: hostRef.current!, canvasBox: boxRef.current!, legend: legendRef.current!, empty: emptyRef.current! },
      session.market,
      uiStore,
      session.signals,
    );
    const remove = addFrameTask('chart', () => painter.paint());
    return () => {
      remove();
      painter.dispose();
    };
  }, [session]);

  return (
    <section ref={hostRef} className="panel chart" data-testid="chart" data-candles="0" data-signal-markers="0">
      <header className="panel-head">
        <span className="panel-title">Chart</span>
        <span className="panel-sub">{selection ? `${selection.venue} · ${selection.symbol}` : '—'}</span>
        <div className="seg" role="group" aria-label="Candle interval">
          {CANDLE_INTERVALS.map((s) => (
            <button
              key={s}
              type="button"
              className={s === interval ? 'seg-btn on' : 'seg-btn'}
              data-testid={`interval-${CANDLE_INTERVAL_LABELS[s]}`}
              onClick={() => uiStore.getState().setCandleInterval(s)}
            >
              {CANDLE_INTERVAL_LABELS[s]}
            </button>
          ))}
        </div>
        <div ref={legendRef} className="legend">
          {LEGEND.map((k) => (
            <span key={k} className="lg">
              <label>{k}</label>
              <span>–</span>
            </span>
          ))}
        </div>
        <span className="grow" />
        <button
          type="button"
          className={markersOn ? 'chip-btn on' : 'chip-btn'}
          aria-pressed={markersOn}
          data-testid="signal-markers-toggle"
          title={markersOn ? 'Hide model signal markers' : 'Show model signal markers (advice only)'}
          onClick={() => uiStore.getState().setSignalMarkers(!markersOn)}
        >
          Signals
        </button>
        <span className="panel-note">UTC</span>
      </header>
      <div className="chart-body">
        <div ref={boxRef} className="chart-canvas" />
        <div ref={emptyRef} className="chart-empty">
          Waiting for trades…
        </div>
      </div>
    </section>
  );
}

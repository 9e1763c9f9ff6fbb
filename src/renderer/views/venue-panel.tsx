import { useEffect, useRef } from 'react';
import { uiStore, useUi } from '../data/ui-store';
import { addFrameTask } from './frame-loop';
import { useSession } from './session-context';
import { CLIENT_METRICS, VENUE_METRICS, VenuePainter } from './venue-painter';
import { PerfSection } from './perf-section';
import '../styles/venues.css';

/** Label/value cells; the painter fills each `data-metric` span in place every frame. */
function MetricGrid({ metrics }: { metrics: ReadonlyArray<readonly [string, string]> }) {
  return (
    <div className="vgrid">
      {metrics.map(([name, label]) => (
        <div key={name} className="vm">
          <label>{label}</label>
          <span data-metric={name}>–</span>
        </div>
      ))}
    </div>
  );
}

/** Venue health cards (engine status frames) and the renderer's own counters. */
export function VenuePanel() {
  const session = useSession();
  const venues = useUi((s) => s.venues);
  const selected = useUi((s) => s.selection?.venue);
  const rootRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const painter = new VenuePainter(rootRef.current!, session);
    return addFrameTask('venues', (now) => painter.paint(now));
  }, [session]);

  return (
    <section ref={rootRef} className="panel venues" data-testid="venues">
      <header className="panel-head">
        <span className="panel-title">Venues</span>
        <span className="panel-sub">{venues.length}</span>
      </header>
      <div className="venue-list">
        {venues.map((v) => (
          <div
            key={v.id}
            className={v.id === selected ? 'vcard sel' : 'vcard'}
            data-testid="venue-row"
            data-venue={v.id}
            data-state=""
            title={`Show ${v.id}`}
            onClick={() => uiStore.getState().selectVenue(v.id)}
          >
            <div className="vhead">
              <span className="vname">{v.id}</span>
              <span className="vkind">{v.kind}</span>
              <span className="grow" />
              <span className="vstate">…</span>
            </div>
            <MetricGrid metrics={VENUE_METRICS} />
          </div>
        ))}
        {venues.length === 0 && <div className="vempty">No venues yet</div>}
        <div className="vcard client" data-client="">
          <div className="vhead">
            <span className="vname">renderer</span>
            <span className="grow" />
          </div>
          <MetricGrid metrics={CLIENT_METRICS} />
        </div>
        <PerfSection />
      </div>
    </section>
  );
}

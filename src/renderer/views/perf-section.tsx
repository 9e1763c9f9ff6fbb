import { useEffect, useRef } from 'react';
import { addFrameTask } from './frame-loop';
import { PERF_METRICS, PerfPainter } from './perf-painter';
import { useSession } from './session-context';
import './perf-section.css';

/** The engine's own performance (the once-a-second `perf` message), beside the renderer card. */
export function PerfSection() {
  const session = useSession();
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const painter = new PerfPainter(rootRef.current!, session);
    return addFrameTask('perf', (now) => painter.paint(now));
  }, [session]);

  return (
    <div ref={rootRef} className="vcard perf" data-testid="perf" data-perf="">
      <div className="vhead">
        <span className="vname">engine</span>
        <span className="vkind">performance</span>
        <span className="grow" />
      </div>
      <div className="vgrid">
        {PERF_METRICS.map(([name, label, title]) => (
          <div key={name} className="vm" title={title}>
            <label>{label}</label>
            <span data-metric={name}>–</span>
          </div>
        ))}
      </div>
    </div>
  );
}

import { Suspense, lazy, useEffect } from 'react';
import { useStore } from 'zustand';
import { useTrading } from '../data/trading-store';
import { uiStore, useUi, type SideTab } from '../data/ui-store';
import { RiskView } from './risk-view';
import { Ticket } from './ticket';
import { VenuePanel } from './venue-panel';
import { useSession } from './session-context';

// its own chunk: the tab is not the first one shown, and it keeps the main bundle under 500 kB
const SignalPanel = lazy(() => import('./signal-panel').then((m) => ({ default: m.SignalPanel })));
const signalsShown = (): boolean => uiStore.getState().sideTab === 'signals';
const ArbitragePanel = lazy(() => import('./arbitrage-panel').then((m) => ({ default: m.ArbitragePanel })));

/**
 * The right column: venues, risk and signals as tabs (all stay mounted, so their painters keep
 * the numbers current; the signal painter idles while hidden), the order ticket under them.
 */
export function SideColumn() {
  const tab = useUi((s) => s.sideTab);
  const role = useTrading((s) => s.role);
  const killed = useTrading((s) => s.risk?.killSwitch.engaged ?? false);
  const rejects = useTrading((s) => s.risk?.recentRejects.length ?? 0);
  const arbLive = useStore(useSession().arbitrage, (s) => s.state?.live.length ?? 0);

  // the risk desk lands on its own view
  useEffect(() => {
    if (role === 'risk') uiStore.getState().setSideTab('risk');
  }, [role]);

  const tabs: Array<[SideTab, string]> = [
    ['venues', 'Venues'],
    ['risk', 'Risk'],
    ['signals', 'Signals'],
    ['arbitrage', 'Arb'],
  ];
  return (
    <div className="side-col">
      <div className="side-tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'side-tab on' : 'side-tab'} data-testid={`tab-${id}`} onClick={() => uiStore.getState().setSideTab(id)}>
            {label}
            {id === 'risk' && killed && <span className="tab-alert">KILL</span>}
            {id === 'risk' && !killed && rejects > 0 && <span className="tab-count">{rejects}</span>}
            {id === 'arbitrage' && arbLive > 0 && <span className="tab-count" data-testid="arb-tab-count">{arbLive}</span>}
          </button>
        ))}
      </div>
      <div className="side-slot" hidden={tab !== 'venues'}>
        <VenuePanel />
      </div>
      <div className="side-slot" hidden={tab !== 'risk'}>
        <RiskView />
      </div>
      <div className="side-slot" hidden={tab !== 'signals'}>
        <Suspense fallback={null}>
          <SignalPanel visible={signalsShown} />
        </Suspense>
      </div>
      <div className="side-slot" hidden={tab !== 'arbitrage'}>
        <Suspense fallback={null}>
          <ArbitragePanel visible={tab === 'arbitrage'} />
        </Suspense>
      </div>
      <Ticket />
    </div>
  );
}

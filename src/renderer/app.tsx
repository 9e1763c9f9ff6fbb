import { AboutOverlay } from './views/about-panel';
import { Blotter } from './views/blotter';
import { Chart } from './views/chart';
import { ConfirmDialog } from './views/confirm-dialog';
import { Header } from './views/header';
import { Hotkeys } from './views/hotkeys';
import { Ladder } from './views/ladder';
import { ReplayControls } from './views/replay-controls';
import { SideColumn } from './views/side-column';
import { Tape } from './views/tape';
import './styles/layout.css';

/** Header over three columns: ladder | chart over tape and blotter | venues or risk over the ticket. */
export function App() {
  return (
    <div className="app">
      <Header />
      <ReplayControls />
      <main className="workspace">
        <Ladder />
        <div className="centre">
          <Chart />
          <div className="strip">
            <Tape />
            <Blotter />
          </div>
        </div>
        <SideColumn />
      </main>
      <Hotkeys />
      <ConfirmDialog />
      <AboutOverlay />
    </div>
  );
}

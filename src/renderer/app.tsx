import { Chart } from './views/chart';
import { Header } from './views/header';
import { Ladder } from './views/ladder';
import { Tape } from './views/tape';
import { VenuePanel } from './views/venue-panel';
import './styles/layout.css';

/** Header over three columns: ladder | chart over tape | venues. */
export function App() {
  return (
    <div className="app">
      <Header />
      <main className="workspace">
        <Ladder />
        <div className="centre">
          <Chart />
          <Tape />
        </div>
        <VenuePanel />
      </main>
    </div>
  );
}

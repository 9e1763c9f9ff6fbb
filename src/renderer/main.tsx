import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { startSession } from './data/session';
import { tradingStore } from './data/trading-store';
import { uiStore } from './data/ui-store';
import { pickTransport } from './transport/pick-transport';
import { startFrameLoop } from './views/frame-loop';
import { SessionContext } from './views/session-context';
import './styles/base.css';

const session = startSession(pickTransport(), uiStore, tradingStore);
startFrameLoop();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionContext.Provider value={session}>
      <App />
    </SessionContext.Provider>
  </StrictMode>,
);

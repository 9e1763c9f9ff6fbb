import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { LinkState } from '../../shared/bridge';
import type { VenueInfo } from '../../shared/protocol';
import type { AboutInfo } from '../../shared/about';
import type { CandleInterval } from './candles';
import type { Grouping } from './grouping';
import { pickSelection, pickSymbol, type Selection } from './selection';

/** UI state only (never book levels or trades): what is selected and how it is shown. */
export interface UiState {
  link: LinkState;
  engine: string;
  frameIntervalMs: number;
  venues: VenueInfo[];
  selection: Selection | null;
  grouping: Grouping;
  candleInterval: CandleInterval;
  lastError: string;
  /** the right column's upper tab */
  sideTab: SideTab;
  overlay: Overlay;
  /** model signal markers on the price chart */
  signalMarkers: boolean;
  /** the engine's answer to `about` (null until asked) */
  about: AboutInfo | null;
  setLink(link: LinkState): void;
  setHello(engine: string, frameIntervalMs: number, venues: VenueInfo[]): void;
  setVenues(venues: VenueInfo[]): void;
  selectVenue(venue: string): void;
  selectSymbol(symbol: string): void;
  setGrouping(g: Grouping): void;
  setCandleInterval(i: CandleInterval): void;
  setError(message: string): void;
  setSideTab(tab: SideTab): void;
  setOverlay(overlay: Overlay): void;
  setSignalMarkers(on: boolean): void;
  setAbout(about: AboutInfo): void;
}

export type SideTab = 'venues' | 'risk' | 'signals' | 'arbitrage';
export type Overlay = 'none' | 'help' | 'about';

export type UiStore = ReturnType<typeof createUiStore>;

export function createUiStore() {
  return createStore<UiState>()((set, get) => ({
    link: 'connecting',
    engine: '',
    frameIntervalMs: 0,
    venues: [],
    selection: null,
    grouping: 1,
    candleInterval: 1,
    lastError: '',
    sideTab: 'venues',
    overlay: 'none',
    signalMarkers: true,
    about: null,
    setLink: (link) => set({ link }),
    setHello: (engine, frameIntervalMs, venues) =>
      set({ engine, frameIntervalMs, venues, lastError: '', selection: pickSelection(venues, get().selection) }),
    setVenues: (venues) => set({ venues, selection: pickSelection(venues, get().selection) }),
    selectVenue: (venue) => {
      const { venues, selection } = get();
      const v = venues.find((x) => x.id === venue);
      if (!v || selection?.venue === venue) return;
      set({ selection: pickSymbol(v, selection?.symbol ?? '') });
    },
    selectSymbol: (symbol) => {
      const { selection } = get();
      if (!selection || selection.symbol === symbol) return;
      set({ selection: { venue: selection.venue, symbol } });
    },
    setGrouping: (grouping) => set({ grouping }),
    setCandleInterval: (candleInterval) => set({ candleInterval }),
    setError: (lastError) => set({ lastError }),
    setSideTab: (sideTab) => set({ sideTab }),
    setOverlay: (overlay) => set({ overlay }),
    setSignalMarkers: (signalMarkers) => set({ signalMarkers }),
    setAbout: (about) => set({ about }),
  }));
}

/** The app's one UI store. */
export const uiStore = createUiStore();

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(uiStore, selector);
}

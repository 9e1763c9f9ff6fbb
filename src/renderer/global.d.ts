import type { PulsePreloadApi } from '../shared/bridge';
import type { PulsePerf } from './views/frame-loop';

declare global {
  interface Window {
    /** set by the Electron preload; absent in the web shell */
    pulse?: PulsePreloadApi;
    /** frame timing probe for the Playwright benchmark */
    __pulsePerf?: PulsePerf;
  }
}

export {};

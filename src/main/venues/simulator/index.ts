export { SimVenue } from './sim-venue';
export { SIM_INSTRUMENTS, SIM_PARAMS, SIM_VENUES, type SimSymbolParams } from './instruments';
export type { SimSink, SimVenueConfig } from './types';

import type { LiveAdapterFactory } from '../../../trading/live';

/** Placeholder until this venue's live adapter lands: refuses with a clear error, so nothing trades live by accident. */
export const createBinanceUsExecution: LiveAdapterFactory = (ctx) => {
  throw new Error(`live trading on ${ctx.venue} is not available yet; trade it on paper`);
};

// Kraken AssetPairs: https://docs.kraken.com/api/docs/rest-api/get-tradable-asset-pairs
/**
 * Canonical symbols (BTC-USD) → the pair names REST AddOrder takes (the altname, XBTUSD), from
 * the same AssetPairs list and the same symbol mapping the market-data feed uses (../symbols.ts),
 * so an order goes to exactly the pair whose book the trader sees. Loaded once, on first need;
 * a failed load is tried again on the next order.
 */
import type { ResilienceSettings } from '../../../collectors/connection';
import { RestClient } from '../../../collectors/rest';
import { AssetPairsResponseSchema, instrumentsFromAssetPairs } from '../symbols';

const ASSET_PAIRS = '/0/public/AssetPairs';

/** altname by canonical symbol, from the `result` of AssetPairs. */
export function pairNames(result: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, raw] of Object.entries(result)) {
    const inst = instrumentsFromAssetPairs({ [key]: raw }).instruments[0];
    const altname = (raw as { altname?: unknown }).altname;
    if (inst && typeof altname === 'string' && !out.has(inst.symbol)) out.set(inst.symbol, altname);
  }
  return out;
}

export class PairDirectory {
  private loading: Promise<Map<string, string>> | null = null;
  private readonly rest: RestClient;

  constructor(restUrl: string, resilience: ResilienceSettings, log: (level: 'warn', msg: string) => void) {
    this.rest = new RestClient('kraken', restUrl, resilience, { maxAttempts: 3, onRetry: (_a, error) => log('warn', `kraken: loading AssetPairs failed (${error}); retrying`) });
  }

  /** Kraken's pair name for a canonical symbol; throws when it cannot be known. */
  async pairOf(symbol: string): Promise<string> {
    this.loading ??= this.load();
    let names: Map<string, string>;
    try {
      names = await this.loading;
    } catch (err) {
      this.loading = null;
      throw new Error(`Kraken pairs could not be loaded: ${(err as Error).message.slice(0, 160)}`);
    }
    const pair = names.get(symbol);
    if (!pair) throw new Error(`Kraken lists no pair for ${symbol}`);
    return pair;
  }

  private async load(): Promise<Map<string, string>> {
    const body = AssetPairsResponseSchema.parse(await this.rest.getJson(ASSET_PAIRS));
    if (body.error.length > 0 || !body.result) throw new Error(body.error.join(', ') || 'no result');
    return pairNames(body.result);
  }
}

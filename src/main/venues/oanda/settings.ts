/**
 * OANDA v20 settings. Endpoints: https://developer.oanda.com/rest-live-v20/development-guide/
 * (practice: api-fxpractice / stream-fxpractice; live: api-fxtrade / stream-fxtrade).
 */
import { z } from 'zod';
import { httpUrl, resilienceSchema } from '../common-settings';

/** A pricing line over 1 MiB is not a price: the stream is dropped and the line counted bad. */
export const MAX_LINE_BYTES = 1024 * 1024;

const oandaResilience = resilienceSchema.extend({
  maxMessageBytes: z.number().int().min(1024).default(MAX_LINE_BYTES),
});

export const OandaSettingsSchema = z
  .object({
    streamUrl: httpUrl.default('https://stream-fxpractice.oanda.com'),
    restUrl: httpUrl.default('https://api-fxpractice.oanda.com'),
    accountId: z.string().min(1).optional(),
    /** bearer token; kept in the main process, never logged */
    token: z.string().min(1).optional(),
    symbols: z.array(z.string()).default(['EUR-USD', 'GBP-USD', 'USD-JPY']),
    resilience: oandaResilience.default(oandaResilience.parse({})),
  })
  .strict();
export type OandaSettings = z.infer<typeof OandaSettingsSchema>;

import { z } from 'zod';

/** A replay venue plays one recorded venue of a recording directory. */
export const ReplaySettingsSchema = z
  .object({
    /** the recording directory (holds manifest.json) */
    dir: z.string().min(1),
    /** the recorded venue id, e.g. sim-a */
    source: z.string().min(1),
    /** 1 = recorded pace, 10 = ten times faster */
    speed: z.number().min(0.01).max(1000).default(1),
    /** start paused (at the first recorded books) */
    paused: z.boolean().default(false),
  })
  .strict();
export type ReplaySettings = z.infer<typeof ReplaySettingsSchema>;

export const REPLAY_PREFIX = 'replay-';

/** Venue ids are [a-z0-9-]: `replay:sim-a` is spelled `replay-sim-a`. */
export const replayVenueId = (source: string): string => `${REPLAY_PREFIX}${source}`;
export const isReplayVenueId = (id: string): boolean => id.startsWith(REPLAY_PREFIX) && id.length > REPLAY_PREFIX.length;

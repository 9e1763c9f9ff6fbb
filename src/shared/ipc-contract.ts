/**
 * The zod schemas of every invoke channel in bridge.ts: what the renderer may send (as the
 * argument list) and what main answers. Main validates both sides through these at its one
 * registration point (src/main/electron/ipc.ts). Main only: the sandboxed preload cannot load zod.
 */
import { z } from 'zod';
import { IPC } from './bridge';

const AppInfoSchema = z.object({
  app: z.string(),
  version: z.string(),
  shell: z.enum(['electron', 'web']),
  electron: z.string().optional(),
  node: z.string(),
  chrome: z.string().optional(),
  settingsPath: z.string().optional(),
  packaged: z.boolean().optional(),
}).strict();

const DesktopSettingsSchema = z.object({ shmTap: z.boolean(), path: z.string(), restartNeeded: z.boolean() }).strict();

export const IPC_CONTRACT = {
  [IPC.appInfo]: { args: z.tuple([]), result: AppInfoSchema },
  [IPC.openExternal]: {
    args: z.tuple([z.string().max(2048)]),
    result: z.discriminatedUnion('opened', [z.object({ opened: z.literal(true) }), z.object({ opened: z.literal(false), reason: z.string() })]),
  },
  [IPC.desktopSettings]: { args: z.tuple([]), result: DesktopSettingsSchema },
  [IPC.setShmTap]: { args: z.tuple([z.boolean()]), result: DesktopSettingsSchema },
} as const;

export type InvokeChannel = keyof typeof IPC_CONTRACT;
export type InvokeArgs<C extends InvokeChannel> = z.infer<(typeof IPC_CONTRACT)[C]['args']>;
export type InvokeResult<C extends InvokeChannel> = z.infer<(typeof IPC_CONTRACT)[C]['result']>;

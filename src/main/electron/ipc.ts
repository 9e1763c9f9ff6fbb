/**
 * The one place IPC handlers are registered (VS Code's validatedIpcMain): every call is checked
 * for its sender (our app:// origin, main frame only) and its arguments against the zod
 * contract before the handler runs, and the answer against the contract after.
 */
import { ipcMain } from 'electron';
import { IPC_CONTRACT, type InvokeArgs, type InvokeChannel, type InvokeResult } from '../../shared/ipc-contract';
import { log } from '../telemetry/log';
import { checkResult, IpcRefused, parseArgs, senderRefusal } from './ipc-guard';

export type IpcHandlers = { [C in InvokeChannel]: (...args: InvokeArgs<C>) => InvokeResult<C> | Promise<InvokeResult<C>> };

export function registerIpc(handlers: IpcHandlers): void {
  for (const channel of Object.keys(IPC_CONTRACT) as InvokeChannel[]) {
    ipcMain.handle(channel, async (event, ...raw: unknown[]) => {
      const refusal = senderRefusal(event);
      if (refusal) {
        log.warn({ channel, url: event.senderFrame?.url }, `IPC ${channel} refused: ${refusal}`);
        throw new IpcRefused(channel, refusal);
      }
      const args = parseArgs(channel, raw);
      const handler = handlers[channel] as (...a: unknown[]) => unknown;
      return checkResult(channel, await handler(...(args as unknown[])));
    });
  }
}

/**
 * The checks every IPC call passes before a handler runs, kept free of `electron` imports so
 * they are tested under plain Node. ipc.ts applies them at the one registration point.
 */
import { APP_ORIGIN } from '../../shared/bridge';
import { IPC_CONTRACT, type InvokeArgs, type InvokeChannel, type InvokeResult } from '../../shared/ipc-contract';

/** The parts of an IpcMainInvokeEvent the guard reads. */
export interface SenderLike {
  senderFrame: { url: string } | null;
  sender: { mainFrame: unknown };
}

/** Why a sender is refused, or null when it is the main frame of our own UI. */
export function senderRefusal(event: SenderLike): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame !== event.sender.mainFrame) return 'only the main frame may call';
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return `unparseable sender URL ${JSON.stringify(frame.url)}`;
  }
  // Not url.origin: Node's URL (which main uses) gives every non-special scheme, app: included,
  // the opaque origin "null". Scheme and host are what make our origin.
  const origin = `${url.protocol}//${url.host}`;
  return origin === APP_ORIGIN ? null : `sender origin ${origin} is not ${APP_ORIGIN}`;
}

export class IpcRefused extends Error {
  constructor(readonly channel: string, reason: string) {
    super(`${channel} refused: ${reason}`);
    this.name = 'IpcRefused';
  }
}

export function parseArgs<C extends InvokeChannel>(channel: C, args: unknown[]): InvokeArgs<C> {
  const parsed = IPC_CONTRACT[channel].args.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IpcRefused(channel, `argument ${issue?.path.join('.') || '(list)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as InvokeArgs<C>;
}

/** Main's own answer is checked too: a handler bug must not leak an unexpected shape to the page. */
export function checkResult<C extends InvokeChannel>(channel: C, result: unknown): InvokeResult<C> {
  const parsed = IPC_CONTRACT[channel].result.safeParse(result);
  if (!parsed.success) throw new IpcRefused(channel, `handler answered outside the contract: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data as InvokeResult<C>;
}

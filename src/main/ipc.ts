import type { z } from 'zod';
import { invoke, push, type InvokeChannel, type InvokeResponse, type IpcResult } from '../shared/ipc-contract.js';
import type { SyncStatus } from '../shared/sync-status.js';
import { errorMessage } from '../sync/errors.js';
import type { Logger } from '../sync/ports.js';

/** What an `ipcMain.handle` listener receives that matters for trust. */
export interface InvokeEvent {
  sender: { id: number };
  senderFrame?: { url: string } | null;
}
export type SenderCheck = (event: InvokeEvent) => boolean;
export type InvokeHandler<C extends InvokeChannel> = (
  req: z.output<(typeof invoke)[C]['req']>,
) => InvokeResponse<C> | Promise<InvokeResponse<C>>;

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
}

/** Our page, ignoring `?query` / `#hash`; a plain prefix test would also accept `index.html.evil.html`. */
export function isOurPage(frameUrl: string, pageUrl: string): boolean {
  return frameUrl.split(/[?#]/, 1)[0] === pageUrl;
}

/** Trusted = our settings window's WebContents (while it exists) showing our own page. */
export function trustedSender(windowId: () => number | undefined, pageUrl: string): SenderCheck {
  return (event) => {
    const id = windowId();
    return id !== undefined && event.sender.id === id && isOurPage(event.senderFrame?.url ?? '', pageUrl);
  };
}

/** The one gate every renderer request passes: sender check, then the contract's zod schema, then `fn`. */
export function handle<C extends InvokeChannel>(ipc: IpcMainLike, trusted: SenderCheck, channel: C, fn: InvokeHandler<C>, log: Logger): void {
  ipc.handle(channel, async (event, ...args): Promise<IpcResult<InvokeResponse<C>>> => {
    if (!trusted(event)) {
      log.warn(`IPC: ignored ${channel} from an untrusted sender (webContents ${event.sender.id}, ${event.senderFrame?.url ?? 'no frame'})`);
      return { ok: false, error: 'untrusted sender' };
    }
    const parsed = invoke[channel].req.safeParse(args[0]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length ? `${issue.path.join('.')}: ` : '';
      return { ok: false, error: `${where}${issue?.message ?? 'invalid request'}` };
    }
    try {
      return { ok: true, value: await fn(parsed.data as z.output<(typeof invoke)[C]['req']>) };
    } catch (e) {
      log.error(`IPC: ${channel} failed: ${errorMessage(e)}`);
      return { ok: false, error: errorMessage(e) };
    }
  });
}

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export function pushStatus(webContents: WebContentsLike, status: SyncStatus): void {
  const channel: keyof typeof push = 'sync:status-changed';
  if (!webContents.isDestroyed()) webContents.send(channel, status);
}

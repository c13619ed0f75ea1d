import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { ConnectError, connectRpc } from './rpc.js';

export interface ReadinessSpec {
  url: string;
  token: string;
  child: ChildProcess;
  timeoutMs: number;
}

const retryMs = 250;

/**
 * Resolves once a `connect` gets hello-ok. Until the deadline, a refused socket (not listening yet) and
 * `UNAVAILABLE` (startup sidecars) are retried; anything else, or the process exiting, fails at once.
 */
export async function waitForGateway(spec: ReadinessSpec): Promise<void> {
  const deadline = Date.now() + spec.timeoutMs;
  let exited: string | undefined;
  const onExit = (code: number | null, signal: string | null) => (exited = `exit code ${code}, signal ${signal}`);
  spec.child.once('exit', onExit);
  let last = 'no attempt yet';
  try {
    while (Date.now() < deadline) {
      if (exited) throw new Error(`the gateway exited during startup (${exited})`);
      try {
        const rpc = await connectRpc({ url: spec.url, token: spec.token, timeoutMs: Math.max(1_000, deadline - Date.now()) });
        await rpc.close();
        return;
      } catch (error) {
        if (!(error instanceof ConnectError) || !(error.isRefusedSocket || error.isUnavailable)) throw error;
        last = error.message;
        await delay(Math.min(error.error?.retryAfterMs ?? retryMs, 2_000));
      }
    }
    throw new Error(`the gateway did not accept a connect within ${spec.timeoutMs} ms (last: ${last})`);
  } finally {
    spec.child.off('exit', onExit);
  }
}

import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { ConnectError, connectRpc } from './rpc.js';

export interface ReadinessSpec {
  url: string;
  token: string;
  child: ChildProcess;
  timeoutMs: number;
  /** The gateway's output so far, to tell a port conflict from other startup failures. */
  readLog(): string;
}

/** Someone else holds the port: the caller may retry on another one. */
export class PortConflictError extends Error {
  override name = 'PortConflictError';
}

const retryMs = 250;
// Bounds one attempt: a foreign server on the port may accept the socket and never answer.
const attemptMs = 5_000;

/**
 * Resolves once a `connect` with our token gets hello-ok. Until the deadline, a refused socket (not listening
 * yet), `UNAVAILABLE` (startup sidecars) and a silent socket are retried; the process exiting fails at once.
 * Our token is random, so hello-ok proves the answer came from our gateway and not from a stranger on the port.
 */
export async function waitForGateway(spec: ReadinessSpec): Promise<void> {
  const deadline = Date.now() + spec.timeoutMs;
  const exit = new AbortController();
  const exited = once(spec.child, 'exit', { signal: exit.signal }).then(
    ([code, signal]) => `exit code ${code}, signal ${signal}`,
    () => undefined, // readiness finished first
  );
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  let last = 'no attempt yet';
  try {
    while (Date.now() < deadline) {
      const attempt = connectRpc({ url: spec.url, token: spec.token, timeoutMs: Math.min(attemptMs, Math.max(1_000, deadline - Date.now())) });
      const outcome = await Promise.race([attempt.then((rpc) => ({ rpc }), (error: unknown) => ({ error })), exited.then(() => 'exited' as const)]);
      if (outcome === 'exited' || exitReason) {
        void attempt.then((rpc) => rpc.close(), () => undefined);
        const log = spec.readLog();
        if (/EADDRINUSE|already in use/.test(log)) throw new PortConflictError(`port of ${spec.url} is already in use (${exitReason})`);
        throw new Error(`the gateway exited during startup (${exitReason})`);
      }
      if ('rpc' in outcome) {
        await outcome.rpc.close();
        return;
      }
      const error = outcome.error;
      if (error instanceof ConnectError && error.error?.details?.code === 'AUTH_TOKEN_MISMATCH') {
        throw new PortConflictError(`another gateway (different token) answers on ${spec.url}`);
      }
      if (!(error instanceof ConnectError) || !(error.isRefusedSocket || error.isUnavailable)) throw error;
      last = error.message;
      await delay(Math.min(error.error?.retryAfterMs ?? retryMs, 2_000));
    }
    throw new Error(`the gateway did not accept a connect within ${spec.timeoutMs} ms (last: ${last})`);
  } finally {
    exit.abort();
  }
}

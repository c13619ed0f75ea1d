import { connect } from 'node:net';

/** Explains why a WebSocket could not be opened in the user's words (the socket's own error names only a code). */
export type DescribeConnectFailure = (wsUrl: string) => Promise<string>;

const probeTimeoutMs = 3_000;

const reasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

/** One plain TCP connect to the same host:port, only after a failed open, to name the failure. */
export const describeConnectFailure: DescribeConnectFailure = (wsUrl) =>
  new Promise((resolve) => {
    const url = new URL(wsUrl);
    const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (reason: string) => {
      socket.destroy();
      resolve(reason);
    };
    // Electronegativity flags this as DANGEROUS_FUNCTIONS (any setTimeout with an identifier first); it is
    // net.Socket#setTimeout(ms, callback), no code string. Allow-listed in test/build/electronegativity.test.ts.
    socket.setTimeout(probeTimeoutMs, () => done('connection timed out'));
    socket.once('connect', () =>
      done('the port is open but the WebSocket upgrade failed (is this the gateway port? for https/wss check TLS)'),
    );
    socket.once('error', (e: NodeJS.ErrnoException) => done(reasons[e.code ?? ''] ?? `connection failed (${e.code ?? e.message})`));
  });

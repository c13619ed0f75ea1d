import { SyncError } from '../errors.js';

/** `error` of a `res` frame (ErrorShapeSchema). */
export interface GatewayErrorShape {
  code: string;
  message: string;
  details?: unknown;
  retryable?: boolean;
  retryAfterMs?: number;
}

const statusHint = 'Is it running? Try `openclaw gateway status` on the gateway host.';

function detailsOf(err: GatewayErrorShape): Record<string, unknown> {
  return typeof err.details === 'object' && err.details !== null ? (err.details as Record<string, unknown>) : {};
}

function syncDetails(err: GatewayErrorShape): Record<string, unknown> {
  return { gatewayCode: err.code, ...detailsOf(err) };
}

export { redact } from '../redact.js';

export function truncate(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

export function networkError(url: string, reason: string, cause?: unknown): SyncError {
  return new SyncError('NETWORK', `Cannot reach the OpenClaw gateway at ${url}: ${reason}. ${statusHint}`, {
    retryable: true,
    cause,
  });
}

export function connectionLostError(url: string, what: string, closeInfo: string): SyncError {
  return new SyncError(
    'NETWORK',
    `The OpenClaw gateway at ${url} closed the connection ${what} (${closeInfo}). The next request reconnects; if this repeats, ${statusHint}`,
    { retryable: true },
  );
}

/** Maps a failed `connect` answer (or a close reason during the handshake) to what the user must do. */
export function handshakeError(url: string, err: GatewayErrorShape): SyncError {
  const details = detailsOf(err);
  const sub = typeof details.code === 'string' ? details.code : '';
  const gatewaySays = `the gateway said: "${err.message}"`;
  const opts = { details: syncDetails(err) };
  if (sub === 'AUTH_TOKEN_MISMATCH' || /token mismatch|unauthori[sz]ed/i.test(err.message)) {
    return new SyncError(
      'AUTH',
      `The OpenClaw gateway at ${url} rejected the token (${gatewaySays}). Use this gateway's gateway.auth.token ` +
        '(in ~/.openclaw/openclaw.json on the gateway host) via --token-file PATH or OPENCLAW_GATEWAY_TOKEN, or paste it in the tray app\'s Settings.',
      opts,
    );
  }
  if (['PAIRING_REQUIRED', 'NOT_PAIRED'].includes(err.code) || ['PAIRING_REQUIRED', 'NOT_PAIRED'].includes(sub)) {
    const requestId = typeof details.requestId === 'string' ? details.requestId : undefined;
    const step = requestId
      ? `On the gateway host run: openclaw devices approve ${requestId} — then sync again.`
      : 'On the gateway host run `openclaw devices list` and approve the pending request for this device, then sync again.';
    return new SyncError('PAIRING', `The OpenClaw gateway at ${url} has not paired this device yet (${gatewaySays}). ${step}`, opts);
  }
  if (err.code === 'UNAVAILABLE' || err.retryable === true || sub === 'UNAVAILABLE') {
    const reason = typeof details.reason === 'string' ? ` (${details.reason})` : '';
    return new SyncError('UNAVAILABLE', `The OpenClaw gateway at ${url} is not ready yet${reason}; retrying shortly. ${gatewaySays}.`, {
      ...opts,
      retryable: true,
      retryAfterMs: err.retryAfterMs,
    });
  }
  if (sub === 'PROTOCOL_MISMATCH' || /protocol mismatch/i.test(err.message)) {
    const expected = typeof details.expectedProtocol === 'number' ? details.expectedProtocol : 'another version';
    return new SyncError(
      'PROTOCOL',
      `The OpenClaw gateway at ${url} speaks protocol ${expected}; this AgentWatch Sync speaks protocol 4. Update whichever is older.`,
      opts,
    );
  }
  if (sub === 'DEVICE_IDENTITY_REQUIRED') {
    return new SyncError('AUTH', `The OpenClaw gateway at ${url} refused the connection without credentials (${gatewaySays}). Set the gateway token.`, opts);
  }
  return new SyncError('PROTOCOL', `The OpenClaw gateway at ${url} refused the connection: ${gatewaySays}. Check the gateway URL and version.`, opts);
}

/** Maps a failed RPC answer; the socket stays usable. */
export function rpcError(url: string, method: string, err: GatewayErrorShape): SyncError {
  const details = detailsOf(err);
  const opts = { details: syncDetails(err) };
  if (err.code === 'FORBIDDEN' || details.code === 'MISSING_SCOPE') {
    const missing = typeof details.missingScope === 'string' ? details.missingScope : 'operator.read';
    return new SyncError(
      'SCOPE',
      `The OpenClaw gateway at ${url} refused ${method}: missing scope ${missing}. Use a token that grants ${missing} ` +
        '(connect as client gateway-client/backend on the gateway host, or pair a device identity).',
      opts,
    );
  }
  if (err.code === 'UNAVAILABLE' || err.retryable === true) {
    return new SyncError('UNAVAILABLE', `The OpenClaw gateway at ${url} cannot answer ${method} right now: "${err.message}". Retrying later.`, {
      ...opts,
      retryable: true,
      retryAfterMs: err.retryAfterMs,
    });
  }
  return new SyncError('PROTOCOL', `The OpenClaw gateway at ${url} rejected ${method} (${err.code}): "${err.message}". Check the gateway version.`, {
    ...opts,
    retryable: err.code !== 'INVALID_REQUEST',
  });
}

import { SyncError } from '../errors.js';
import { buildDeviceAuth, type DeviceIdentity } from './device-identity.js';

export interface HelloInfo {
  serverVersion: string | null;
  scopes: string[];
  methods: string[];
  events: string[];
  tickIntervalMs: number;
  maxPayload: number | null;
}

export interface Challenge {
  nonce: string;
  ts: number;
}

export interface ConnectIdentity {
  token: string;
  scopes: readonly string[];
  clientId: string;
  clientMode: string;
  clientVersion: string;
  platform: string;
  device: DeviceIdentity | null;
}

export const protocolVersion = 4;
const role = 'operator';
/** Each of these satisfies sessions.list / sessions.usage on the gateway. */
export const readScopes: readonly string[] = ['operator.read', 'operator.write', 'operator.admin'];
const defaultTickIntervalMs = 30_000;

export function parseChallenge(payload: unknown): Challenge | null {
  const p = payload as { nonce?: unknown; ts?: unknown } | null;
  if (typeof p?.nonce !== 'string' || p.nonce === '' || typeof p.ts !== 'number') return null;
  return { nonce: p.nonce, ts: p.ts };
}

/** The gateway's connect params object is closed: send exactly these properties and nothing else. */
export function buildConnectParams(id: ConnectIdentity, challenge: Challenge): Record<string, unknown> {
  const params: Record<string, unknown> = {
    minProtocol: protocolVersion,
    maxProtocol: protocolVersion,
    client: { id: id.clientId, version: id.clientVersion, platform: id.platform, mode: id.clientMode },
    role,
    scopes: [...id.scopes],
    auth: { token: id.token },
  };
  if (id.device) {
    params.device = buildDeviceAuth(id.device, {
      clientId: id.clientId,
      clientMode: id.clientMode,
      role,
      scopes: id.scopes,
      token: id.token,
      nonce: challenge.nonce,
      ts: challenge.ts,
      platform: id.platform,
    });
  }
  return params;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

type Section = Record<string, unknown> | undefined;

export function parseHello(url: string, payload: unknown): HelloInfo {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, Section> & { type?: unknown };
  const auth = p.auth;
  if (p.type !== 'hello-ok' || typeof auth !== 'object' || auth === null) {
    throw new SyncError('PROTOCOL', `The gateway at ${url} accepted connect but did not answer hello-ok. Is this an OpenClaw gateway (protocol 4)?`);
  }
  const tick = p.policy?.tickIntervalMs;
  const maxPayload = p.policy?.maxPayload;
  return {
    serverVersion: typeof p.server?.version === 'string' ? p.server.version : null,
    scopes: strings(auth.scopes),
    methods: strings(p.features?.methods),
    events: strings(p.features?.events),
    tickIntervalMs: typeof tick === 'number' && tick > 0 ? tick : defaultTickIntervalMs,
    maxPayload: typeof maxPayload === 'number' ? maxPayload : null,
  };
}

export function grantsRead(scopes: readonly string[]): boolean {
  return scopes.some((s) => readScopes.includes(s));
}

export function missingScopeError(url: string, granted: readonly string[], id: ConnectIdentity): SyncError {
  const why = id.device
    ? 'The token or the paired device lacks operator.read: approve the device with operator.read on the gateway host, or use a token that grants it.'
    : `Without a device identity the gateway keeps scopes only for client gateway-client/backend or cli/cli on loopback ` +
      `(this client connected as ${id.clientId}/${id.clientMode}); on another host the device must be paired. ` +
      'Otherwise the token lacks operator.read: use the gateway.auth.token from ~/.openclaw/openclaw.json.';
  return new SyncError(
    'SCOPE',
    `The OpenClaw gateway at ${url} accepted the connection but granted scopes [${granted.join(', ')}], ` +
      `and reading sessions needs operator.read (or operator.write/admin). ${why}`,
    { details: { grantedScopes: [...granted] } },
  );
}

import { createHash, createPublicKey, randomUUID, verify } from 'node:crypto';
import { SimRpcError, checkClosedParams, type ParamRules } from './gateway-rpc-error.js';

export interface ConnectFacts {
  clientId: string;
  clientMode: string;
  scopes: string[] | undefined;
  hasDevice: boolean;
}

/** A rejected connect: the error frame, then close with `closeCode` and the message as reason. */
export class ConnectRejection extends SimRpcError {
  constructor(
    code: string,
    message: string,
    details: Record<string, unknown> | undefined,
    readonly closeCode: number,
    extra: { retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(code, message, details, extra);
  }
}

const clientIds = [
  'webchat-ui', 'openclaw-control-ui', 'openclaw-browser-copilot', 'openclaw-tui', 'webchat', 'cli', 'gateway-client',
  'openclaw-macos', 'openclaw-linux', 'openclaw-ios', 'openclaw-watchos', 'openclaw-android', 'node-host', 'openclaw-worker',
  'test', 'fingerprint', 'openclaw-probe',
] as const;
const clientModes = ['webchat', 'cli', 'ui', 'backend', 'node', 'worker', 'probe', 'test'] as const;

// Property names copied from fixtures/schema/connect.params.schema.json (the real object is closed).
const rootRules: ParamRules = {
  minProtocol: 'integer>=1', maxProtocol: 'integer>=1', client: 'object', caps: 'any', commands: 'any', computerUse: 'any',
  workerRuns: 'object', permissions: 'object', pathEnv: 'string', role: 'string+', scopes: 'any', modelCatalog: 'object',
  device: 'object', auth: 'object', locale: 'string', userAgent: 'string',
};
const clientRules: ParamRules = {
  id: clientIds, displayName: 'string+', version: 'string+', buildId: 'string+', platform: 'string+', deviceFamily: 'string+',
  modelIdentifier: 'string+', timeZone: 'string+', mode: clientModes, instanceId: 'string+',
};
const authRules: ParamRules = {
  token: 'string', bootstrapToken: 'string', deviceToken: 'string', password: 'string', approvalRuntimeToken: 'string',
  agentRuntimeIdentityToken: 'string',
};
const deviceRules: ParamRules = { id: 'string+', publicKey: 'string+', signature: 'string+', signedAt: 'integer>=0', nonce: 'string+' };

const invalidConnect = (message: string) => new ConnectRejection('INVALID_REQUEST', message, undefined, 1008);

function required(where: string, obj: Record<string, unknown>, names: readonly string[]): void {
  const missing = names.find((n) => obj[n] === undefined);
  if (missing) throw invalidConnect(`invalid connect params: at ${where}: must have required property '${missing}'`);
}

function closed(value: unknown, rules: ParamRules, path = ''): Record<string, unknown> {
  try {
    return checkClosedParams('connect', value, rules, path);
  } catch (error) {
    throw invalidConnect((error as Error).message);
  }
}

export interface CheckedConnect extends ConnectFacts {
  params: Record<string, unknown>;
  token: string | undefined;
  device: Record<string, unknown> | undefined;
  platform: string;
  deviceFamily: string | undefined;
}

/** Shape checks in the gateway's order: closed params, then the protocol range. */
export function checkConnectParams(raw: unknown): CheckedConnect {
  const params = closed(raw, rootRules);
  required('root', params, ['minProtocol', 'maxProtocol', 'client']);
  const client = closed(params.client, clientRules, '/client');
  required('/client', client, ['id', 'version', 'platform', 'mode']);
  const auth = params.auth === undefined ? undefined : closed(params.auth, authRules, '/auth');
  const device = params.device === undefined ? undefined : closed(params.device, deviceRules, '/device');
  if (device) required('/device', device, Object.keys(deviceRules));
  const min = params.minProtocol as number;
  const max = params.maxProtocol as number;
  if (min > 4 || max < 4) {
    throw new ConnectRejection(
      'INVALID_REQUEST',
      'protocol mismatch',
      { code: 'PROTOCOL_MISMATCH', clientMinProtocol: min, clientMaxProtocol: max, expectedProtocol: 4, minimumProbeProtocol: 3 },
      1002,
    );
  }
  const scopes = Array.isArray(params.scopes) ? params.scopes.filter((s): s is string => typeof s === 'string') : undefined;
  const token = typeof auth?.token === 'string' ? auth.token : typeof auth?.password === 'string' ? auth.password : undefined;
  return {
    params,
    clientId: client.id as string,
    clientMode: client.mode as string,
    scopes,
    hasDevice: device !== undefined,
    token,
    device,
    platform: client.platform as string,
    deviceFamily: typeof client.deviceFamily === 'string' ? client.deviceFamily : undefined,
  };
}

/** The real matrix on loopback without Origin: only gateway-client/backend and cli/cli keep their scopes. */
export function defaultGrantScopes(c: ConnectFacts): string[] {
  if (c.scopes === undefined) return [];
  if (c.hasDevice) return c.scopes;
  const trusted = (c.clientId === 'gateway-client' && c.clientMode === 'backend') || (c.clientId === 'cli' && c.clientMode === 'cli');
  return trusted ? c.scopes : [];
}

export function checkAuth(c: CheckedConnect, expectedToken: string): void {
  if (c.token === undefined && !c.hasDevice) {
    throw new ConnectRejection('NOT_PAIRED', 'device identity required', { code: 'DEVICE_IDENTITY_REQUIRED' }, 1008);
  }
  if (c.token !== expectedToken) {
    throw new ConnectRejection(
      'INVALID_REQUEST',
      "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)",
      { code: 'AUTH_TOKEN_MISMATCH', authReason: 'token_mismatch', canRetryWithDeviceToken: false, recommendedNextStep: 'update_auth_credentials' },
      1008,
    );
  }
  if (c.clientId === 'openclaw-tui' && !c.hasDevice) {
    throw new ConnectRejection(
      'INVALID_REQUEST',
      'control ui requires device identity (use HTTPS or localhost secure context)',
      { code: 'CONTROL_UI_DEVICE_IDENTITY_REQUIRED' },
      1008,
    );
  }
}

/** Verifies the v3 device signature independently of the client's code. */
export function checkDeviceSignature(c: CheckedConnect, challenge: { nonce: string; ts: number }): void {
  const d = c.device;
  if (!d) return;
  const reject = (why: string) => new ConnectRejection('INVALID_REQUEST', `device signature invalid: ${why}`, { code: 'DEVICE_AUTH_SIGNATURE_INVALID' }, 1008);
  const raw = Buffer.from(String(d.publicKey), 'base64url');
  if (raw.length !== 32) throw reject('public key is not 32 bytes');
  if (createHash('sha256').update(raw).digest('hex') !== d.id) throw reject('device id does not match the public key');
  if (d.nonce !== challenge.nonce) throw reject('nonce does not match the challenge');
  const payload = [
    'v3', d.id, c.clientId, c.clientMode, (c.params.role as string | undefined) ?? 'operator', (c.scopes ?? []).join(','), String(d.signedAt),
    c.token ?? '', d.nonce, c.platform.toLowerCase(), (c.deviceFamily ?? '').toLowerCase(),
  ].join('|');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: String(d.publicKey) }, format: 'jwk' });
  if (!verify(null, Buffer.from(payload, 'utf8'), key, Buffer.from(String(d.signature), 'base64url'))) throw reject('bad signature');
}

export interface HelloInput {
  serverVersion: string;
  connId: string;
  scopes: string[];
  methods: string[];
  tickIntervalMs: number;
  now: number;
  uptimeMs: number;
  deviceToken: boolean;
}

export function buildHelloOk(h: HelloInput): Record<string, unknown> {
  const auth: Record<string, unknown> = { method: 'token', role: 'operator', scopes: h.scopes };
  if (h.deviceToken) auth.deviceToken = randomUUID();
  return {
    type: 'hello-ok',
    protocol: 4,
    server: { version: h.serverVersion, buildId: `${h.serverVersion}-sim`, bootId: randomUUID(), connId: h.connId },
    features: {
      methods: h.methods,
      events: ['connect.challenge', 'sessions.changed', 'tick', 'health', 'presence', 'shutdown'],
      capabilities: [],
    },
    snapshot: { presence: [], health: { ok: true, ts: h.now, durationMs: 0 }, stateVersion: { presence: 0, health: 0 }, uptimeMs: h.uptimeMs },
    auth,
    policy: { maxPayload: 26_214_400, maxBufferedBytes: 52_428_800, tickIntervalMs: h.tickIntervalMs },
  };
}

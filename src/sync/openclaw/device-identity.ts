import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { SyncError, errorMessage } from '../errors.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/private-files.js';

export interface DeviceIdentity {
  /** sha256 of the raw 32-byte Ed25519 public key, hex. */
  deviceId: string;
  /** Raw 32-byte public key, base64url. */
  publicKey: string;
  privateKey: KeyObject;
}

export interface DeviceAuthInput {
  clientId: string;
  clientMode: string;
  role: string;
  scopes: readonly string[];
  token: string;
  nonce: string;
  /** `connect.challenge` payload.ts (ms). */
  ts: number;
  platform: string;
  deviceFamily?: string;
}

export interface DeviceAuth {
  id: string;
  publicKey: string;
  signature: string;
  signedAt: number;
  nonce: string;
}

export interface DeviceIdentityFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, options: { mode: number }): Promise<void>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
  chmod(path: string, mode: number): Promise<void>;
}

const fileName = 'device-identity.json';

function rawPublicKey(privateKey: KeyObject): Buffer {
  // The SPKI DER of an Ed25519 key is a fixed 12-byte header followed by the 32 raw key bytes.
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

export function identityFromPrivateKey(privateKey: KeyObject): DeviceIdentity {
  const raw = rawPublicKey(privateKey);
  return {
    deviceId: createHash('sha256').update(raw).digest('hex'),
    publicKey: raw.toString('base64url'),
    privateKey,
  };
}

/** The gateway's v3 device-auth payload; field order and lowercasing are part of the signature. */
export function deviceAuthPayload(deviceId: string, input: DeviceAuthInput): string {
  return [
    'v3',
    deviceId,
    input.clientId,
    input.clientMode,
    input.role,
    input.scopes.join(','),
    String(input.ts),
    input.token,
    input.nonce,
    input.platform.toLowerCase(),
    (input.deviceFamily ?? '').toLowerCase(),
  ].join('|');
}

export function buildDeviceAuth(identity: DeviceIdentity, input: DeviceAuthInput): DeviceAuth {
  const payload = deviceAuthPayload(identity.deviceId, input);
  const signature = sign(null, Buffer.from(payload, 'utf8'), identity.privateKey).toString('base64url');
  return { id: identity.deviceId, publicKey: identity.publicKey, signature, signedAt: input.ts, nonce: input.nonce };
}

/** Loads `<stateDir>/device-identity.json`, creating a new Ed25519 key (file mode 0600) on first use. */
export async function loadOrCreateDeviceIdentity(
  stateDir: string,
  fs: DeviceIdentityFs = nodeFs as unknown as DeviceIdentityFs,
): Promise<DeviceIdentity> {
  const path = join(stateDir, fileName);
  let text: string | undefined;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SyncError('STATE', `Cannot read the device identity ${path}: ${errorMessage(cause)}. Check its permissions.`, { cause });
    }
  }
  if (text !== undefined) return parseIdentityFile(path, text);
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    await fs.mkdir(stateDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await fs.writeFile(path, `${JSON.stringify({ version: 1, privateKeyPem: pem }, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
    await fs.chmod(path, PRIVATE_FILE_MODE); // writeFile's mode is ignored when the file already exists
  } catch (cause) {
    throw new SyncError('STATE', `Cannot write the device identity ${path}: ${errorMessage(cause)}. Check the state directory.`, { cause });
  }
  return identityFromPrivateKey(privateKey);
}

function parseIdentityFile(path: string, text: string): DeviceIdentity {
  try {
    const { privateKeyPem } = JSON.parse(text) as { privateKeyPem?: unknown };
    if (typeof privateKeyPem !== 'string') throw new Error('privateKeyPem missing');
    const key = createPrivateKey(privateKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`key type ${key.asymmetricKeyType ?? 'unknown'}`);
    return identityFromPrivateKey(key);
  } catch (cause) {
    throw new SyncError(
      'STATE',
      `The device identity ${path} is unreadable (${errorMessage(cause)}). Delete it to create a new one; the gateway will ask to pair again.`,
      { cause },
    );
  }
}

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A distinctive, token-shaped value: long, random, with a marker that is easy to grep for in a failure. */
export const canary = (kind: string): string => `${kind}LEAKCANARY${randomBytes(12).toString('hex')}`;

export type Secrets = Record<string, string>;

/** Writes a device key the way loadOrCreateDeviceIdentity does; returns the key's distinctive parts to scan for. */
export function seedDeviceKey(stateDir: string): Secrets {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(stateDir, 'device-identity.json'), `${JSON.stringify({ version: 1, privateKeyPem: pem }, null, 2)}\n`, { mode: 0o600 });
  const body = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----')).join('');
  const { d } = privateKey.export({ format: 'jwk' });
  return { 'device key (PEM body)': body, 'device key (raw, base64url)': String(d) };
}

/** Every (output, secret) pair where the secret, as is or URL-encoded, appears in the output. */
export function findLeaks(outputs: Record<string, string>, secrets: Secrets): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(outputs)) {
    for (const [name, value] of Object.entries(secrets)) {
      if (text.includes(value) || text.includes(encodeURIComponent(value))) found.push(`${name} in ${where}`);
    }
  }
  return found;
}

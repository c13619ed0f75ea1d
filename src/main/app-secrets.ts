import type { Settings } from '../shared/settings.js';
import { SyncError, isSyncError } from '../sync/errors.js';
import { resolveApiKey, resolveGatewayToken } from '../sync/openclaw/token.js';
import type { SecretName, SecretStore } from './secret-store.js';

export interface SecretSourceDeps {
  secrets: SecretStore;
  settings(): Settings;
  env: Record<string, string | undefined>;
  homeDir: string;
  readFile(path: string): Promise<string>;
}

/**
 * The tray app's order, same resolver as the CLI: the token saved in Settings (like --token), then tokenFile,
 * $OPENCLAW_GATEWAY_TOKEN, then ~/.openclaw/openclaw.json.
 */
export async function resolveAppGatewayToken(d: SecretSourceDeps): Promise<string> {
  const s = d.settings();
  try {
    const found = await resolveGatewayToken({ flag: d.secrets.get('gatewayToken'), file: s.tokenFile, env: d.env, homeDir: d.homeDir, readFile: d.readFile });
    return found.token;
  } catch (e) {
    if (isSyncError(e) && e.code === 'CONFIG' && e.message.startsWith('No OpenClaw gateway token')) {
      throw new SyncError('CONFIG', 'No OpenClaw gateway token yet. Open Settings and paste the gateway token (gateway.auth.token in ~/.openclaw/openclaw.json on the gateway host).', { cause: e });
    }
    throw e;
  }
}

export async function resolveAppApiKey(d: SecretSourceDeps): Promise<string | undefined> {
  const found = await resolveApiKey({ flag: d.secrets.get('apiKey'), file: d.settings().apiKeyFile, env: d.env, readFile: d.readFile });
  return found?.token;
}

/** For "Test connection" and redaction: the secret the engine would use, or undefined when there is none. */
export async function readAppSecret(d: SecretSourceDeps, name: Extract<SecretName, 'gatewayToken' | 'apiKey'>): Promise<string | undefined> {
  try {
    return name === 'gatewayToken' ? await resolveAppGatewayToken(d) : await resolveAppApiKey(d);
  } catch {
    return undefined; // no usable secret: the test reports the gateway's answer to none
  }
}

import { SyncError } from '../sync/errors.js';
import type { Logger } from '../sync/ports.js';
import type { JsonStore } from './json-store.js';

export type SecretName = 'gatewayToken' | 'apiKey' | 'slackWebhookUrl' | 'pagerdutyRoutingKey';
export type SecretStorage = 'os' | 'basic' | 'none';

/** Secrets live apart from settings, encrypted by the OS; `set(name, undefined)` forgets one. */
export interface SecretStore {
  get(name: SecretName): string | undefined;
  set(name: SecretName, value: string | undefined): void;
  readonly storage: SecretStorage;
}

/** The slice of Electron's safeStorage used here (available only after app ready). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
  getSelectedStorageBackend(): string;
}

const LABEL: Record<SecretName, string> = { gatewayToken: 'gateway token', apiKey: 'AgentWatch API key', slackWebhookUrl: 'Slack webhook URL', pagerdutyRoutingKey: 'PagerDuty routing key' };
/** The setting naming a file that holds the secret instead. */
const FILE_SETTING: Record<SecretName, string> = { gatewayToken: 'tokenFile', apiKey: 'apiKeyFile', slackWebhookUrl: 'alerts.slackWebhookFile', pagerdutyRoutingKey: 'alerts.pagerdutyRoutingKeyFile' };

export function secretStorageKind(safe: SafeStorageLike, platform: NodeJS.Platform): SecretStorage {
  if (!safe.isEncryptionAvailable()) return 'none';
  // Only Linux has backends; basic_text means no keyring was found and a hard-coded key is used.
  if (platform === 'linux' && safe.getSelectedStorageBackend() === 'basic_text') return 'basic';
  return 'os';
}

/** Ciphertext is stored base64 in its own JSON file (`secrets.json`), never next to the settings. */
export function createSecretStore(safe: SafeStorageLike, store: JsonStore, log: Logger, platform: NodeJS.Platform): SecretStore {
  const storage = secretStorageKind(safe, platform);
  if (storage === 'basic') {
    log.warn('Secrets: only basic text encryption is available (no keyring such as GNOME Keyring or KWallet was found); the token is obfuscated, not protected. Install and unlock a keyring, then save the token again.');
  }
  if (storage === 'none') log.warn('Secrets: OS encryption is unavailable, so the token cannot be stored; use a token file (tokenFile) instead.');

  return {
    storage,
    get(name) {
      const stored = store.get(name);
      if (typeof stored !== 'string' || storage === 'none') return undefined;
      try {
        return safe.decryptString(Buffer.from(stored, 'base64'));
      } catch {
        log.warn(`Secrets: the stored ${LABEL[name]} could not be decrypted (the keyring may have changed); enter it again in Settings.`);
        return undefined;
      }
    },
    set(name, value) {
      if (value === undefined || value === '') {
        store.delete(name);
        return;
      }
      if (storage === 'none') {
        throw new SyncError('CONFIG', `Cannot store the ${LABEL[name]}: this system offers no encryption for secrets (Electron safeStorage is unavailable). Put it in a file and set ${FILE_SETTING[name]} instead.`);
      }
      store.set(name, safe.encryptString(value).toString('base64'));
    },
  };
}

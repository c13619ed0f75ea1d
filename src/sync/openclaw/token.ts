import { join } from 'node:path';
import JSON5 from 'json5';
import { SyncError, errorMessage } from '../errors.js';

export interface SecretSources {
  flag?: string;
  /** Source label when `flag` is used (default `--token` / `--api-key`), e.g. 'saved in Settings'. */
  flagLabel?: string;
  file?: string;
  envVar: string;
  env: Record<string, string | undefined>;
  homeDir: string;
  readFile: (path: string) => Promise<string>;
}

export interface ResolvedSecret {
  token: string;
  /** Where the secret came from, for logs and the settings UI; never the secret itself. */
  source: string;
}

export const gatewayTokenEnvVar = 'OPENCLAW_GATEWAY_TOKEN';
export const apiKeyEnvVar = 'AGENTWATCH_API_KEY';

async function readSecretFile(path: string, readFile: SecretSources['readFile'], what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path);
  } catch (cause) {
    throw new SyncError('CONFIG', `Cannot read the ${what} file ${path}: ${errorMessage(cause)}. Check the path and its permissions.`, {
      cause,
    });
  }
  const value = text.trim();
  if (value === '') throw new SyncError('CONFIG', `The ${what} file ${path} is empty. Put the ${what} on its first line.`);
  return value;
}

interface Labels {
  what: string;
  flag: string;
  fileFlag: string;
}

/** flag → file → env; undefined when none is set. */
async function resolveExplicit(src: SecretSources, labels: Labels): Promise<ResolvedSecret | undefined> {
  if (src.flag !== undefined && src.flag.trim() !== '') return { token: src.flag.trim(), source: src.flagLabel ?? labels.flag };
  if (src.file !== undefined && src.file !== '') {
    return { token: await readSecretFile(src.file, src.readFile, labels.what), source: `${labels.fileFlag} ${src.file}` };
  }
  const fromEnv = src.env[src.envVar]?.trim();
  if (fromEnv) return { token: fromEnv, source: src.envVar };
  return undefined;
}

async function readOpenClawConfigToken(src: Omit<SecretSources, 'envVar'>): Promise<ResolvedSecret | undefined> {
  const path = join(src.homeDir, '.openclaw', 'openclaw.json');
  const label = '~/.openclaw/openclaw.json';
  let text: string;
  try {
    text = await src.readFile(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SyncError('CONFIG', `Cannot read ${path}: ${errorMessage(cause)}. Check its permissions or pass --token-file PATH.`, {
      cause,
    });
  }
  let config: unknown;
  try {
    config = JSON5.parse(text);
  } catch (cause) {
    // Only the position: the parser's message quotes file content, which may be part of the token.
    const { lineNumber, columnNumber } = cause as { lineNumber?: number; columnNumber?: number };
    const at = lineNumber === undefined ? '' : ` at line ${lineNumber}, column ${columnNumber ?? '?'}`;
    throw new SyncError('CONFIG', `${path} is not valid JSON5${at}. Fix it or pass --token-file PATH.`);
  }
  const token = (config as { gateway?: { auth?: { token?: unknown } } } | null)?.gateway?.auth?.token;
  return typeof token === 'string' && token.trim() !== '' ? { token: token.trim(), source: label } : undefined;
}

/** Order: --token, --token-file, $OPENCLAW_GATEWAY_TOKEN, then the gateway's own config in ~/.openclaw/openclaw.json. */
export async function resolveGatewayToken(src: Omit<SecretSources, 'envVar'>): Promise<ResolvedSecret> {
  const labels = { what: 'gateway token', flag: '--token', fileFlag: '--token-file' };
  const explicit = await resolveExplicit({ ...src, envVar: gatewayTokenEnvVar }, labels);
  if (explicit) return explicit;
  const fromConfig = await readOpenClawConfigToken(src);
  if (fromConfig) return fromConfig;
  const looked = ['--token', '--token-file', gatewayTokenEnvVar, `${join(src.homeDir, '.openclaw', 'openclaw.json')} (gateway.auth.token)`];
  throw new SyncError(
    'CONFIG',
    `No OpenClaw gateway token found. Pass --token-file PATH, set ${gatewayTokenEnvVar}, or run on the gateway host ` +
      `where ~/.openclaw/openclaw.json holds gateway.auth.token (looked in: ${looked.join(', ')}).`,
  );
}

/** The AgentWatch API key is optional: undefined when no source is set. */
export async function resolveApiKey(src: Omit<SecretSources, 'envVar' | 'homeDir'>): Promise<ResolvedSecret | undefined> {
  const labels = { what: 'AgentWatch API key', flag: '--api-key', fileFlag: '--api-key-file' };
  return resolveExplicit({ ...src, envVar: apiKeyEnvVar, homeDir: '' }, labels);
}

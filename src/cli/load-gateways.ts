import { GatewayInput } from '../shared/gateway-entry.js';
import { gatewayIdOf } from '../sync/ids.js';
import { UsageError } from './cli-args.js';
import { configPathOf, readConfigFile } from './load-settings.js';

type Values = Record<string, string | boolean | undefined>;

// The flags that name the one gateway of the single-gateway mode: with a `gateways` list they would be ambiguous.
const SINGLE_GATEWAY_FLAGS = ['openclaw-url', 'token', 'token-file'] as const;
const SECRET_KEYS = ['token', 'gatewayToken', 'password', 'secret'];

function entryOf(raw: unknown, at: string): GatewayInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`${at} must be an object like { url: 'http://vps:18789', tokenFile: '/path/to/token', name: 'vps' }.`);
  const secret = SECRET_KEYS.find((k) => k in raw);
  if (secret) throw new UsageError(`${at} holds "${secret}": name the file that holds it (tokenFile), never the token itself.`);
  const parsed = GatewayInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') throw new UsageError(`${at} has an unknown field "${issue.keys[0]}" (known: url, tokenFile, name).`);
  throw new UsageError(`${at}${field ? `.${field}` : ''}: ${issue.message}.`);
}

/**
 * The config file's `gateways: [...]` (several gateways in one process), or undefined for the single-gateway mode.
 * Every mistake is one UsageError line naming the entry (exit 2).
 */
export async function loadGateways(values: Values, env: Record<string, string | undefined>): Promise<GatewayInput[] | undefined> {
  const path = configPathOf(values, env);
  if (!path) return undefined;
  const file = await readConfigFile(path);
  const raw = file.gateways;
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length === 0) throw new UsageError(`"gateways" in ${path} must be a non-empty list of { url, tokenFile, name }.`);
  const flag = SINGLE_GATEWAY_FLAGS.find((f) => values[f] !== undefined);
  if (flag) throw new UsageError(`--${flag} names one gateway, but ${path} lists "gateways": set url and tokenFile per gateway there, or drop "gateways".`);
  if ('openclawUrl' in file) throw new UsageError(`${path} sets both "openclawUrl" and "gateways": move that URL into the list as { url: '${String(file.openclawUrl)}' } and drop openclawUrl.`);
  if (env.AGENTWATCH_SYNC_OPENCLAW_URL) throw new UsageError(`AGENTWATCH_SYNC_OPENCLAW_URL names one gateway, but ${path} lists "gateways": unset it, or drop "gateways".`);
  const entries = raw.map((r, i) => entryOf(r, `gateways[${i}] in ${path}`));
  const seen = new Map<string, number>();
  const names = new Map<string, number>();
  entries.forEach((e, i) => {
    const where = gatewayIdOf(e.url);
    const before = seen.get(where);
    if (before !== undefined) throw new UsageError(`gateways[${before}] and gateways[${i}] in ${path} are the same gateway (${where}): list each gateway once.`);
    seen.set(where, i);
    if (e.name === undefined) return;
    const named = names.get(e.name.toLowerCase());
    if (named !== undefined) throw new UsageError(`gateways[${named}] and gateways[${i}] in ${path} are both named "${e.name}": give each gateway its own name.`);
    names.set(e.name.toLowerCase(), i);
  });
  return entries;
}

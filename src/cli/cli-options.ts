import { settingEntries } from '../shared/setting-descriptors.js';
import type { SettingPath } from '../shared/setting-path.js';

/** A command-line option; `setting` names the setting it feeds, if any. */
export interface CliOption {
  name: string;
  arg?: string;
  short?: string;
  /** --help lines; none = documented in the usage lines instead. */
  help: readonly string[];
  setting?: SettingPath;
  sets?: boolean;
  env?: string;
}

interface CliOnlyOption extends CliOption {
  /** The option it follows in --help; none = at the end. */
  after?: string;
}

// Options that are not settings: per-run switches, secrets and where state, config and log live.
const CLI_ONLY: readonly CliOnlyOption[] = [
  { name: 'once', help: ['run one poll and exit'], after: 'log-level' },
  {
    name: 'token',
    arg: 'TOKEN',
    after: 'token-file',
    help: [
      'the gateway token itself — visible to other users in `ps`; prefer --token-file',
      'or OPENCLAW_GATEWAY_TOKEN. Lookup order: --token / --token-file,',
      'OPENCLAW_GATEWAY_TOKEN, ~/.openclaw/openclaw.json (gateway.auth.token)',
    ],
  },
  {
    name: 'state-dir',
    arg: 'DIR',
    env: 'AGENTWATCH_SYNC_STATE_DIR',
    after: 'api-key-file',
    help: ['ledger + outbox (default ~/.local/state/agentwatch-sync; AGENTWATCH_SYNC_STATE_DIR)'],
  },
  {
    name: 'config',
    arg: 'FILE',
    env: 'AGENTWATCH_SYNC_CONFIG',
    after: 'state-dir',
    help: ['JSON/JSON5 settings file (names secret files, never secrets); AGENTWATCH_SYNC_CONFIG'],
  },
  { name: 'log-file', arg: 'PATH', after: 'config', help: ['also log to PATH, rotated at 5 MiB (keeps 3)'] },
  { name: 'polls', arg: 'N', help: [] },
  { name: 'since', arg: 'DAY', help: [] },
  { name: 'until', arg: 'DAY', help: [] },
  { name: 'help', short: 'h', help: ['this text'] },
  { name: 'version', short: 'v', help: ['print the version'] },
];

/** Every option in --help order: the settings' flags in table order, the others placed after their anchor. */
export function cliOptions(): CliOption[] {
  const options: CliOption[] = [];
  for (const [setting, d] of settingEntries()) {
    if (d.flag) options.push({ ...d.flag, setting, ...(d.env ? { env: d.env } : {}) });
  }
  for (const { after, ...option } of CLI_ONLY) {
    const at = after === undefined ? -1 : options.findIndex((o) => o.name === after);
    if (after !== undefined && at < 0) throw new Error(`cli option --${option.name} follows --${after}, which does not exist`);
    options.splice(at < 0 ? options.length : at + 1, 0, option);
  }
  return options;
}

import { closest, distance } from 'fastest-levenshtein';
import { parseArgs } from 'node:util';
import { cliOptions, type CliOption } from './cli-options.js';

export interface CliArgs {
  command: 'sync' | 'demo' | 'backfill';
  values: Record<string, string | boolean | undefined>;
}

export class UsageError extends Error {}

const COMMANDS = ['sync', 'demo', 'backfill'] as const;

/** " Did you mean --poll-interval?" for a near miss (a typo or two), else nothing. */
function suggestion(given: string, known: readonly string[], prefix: string): string {
  if (known.length === 0) return '';
  const best = closest(given, [...known]);
  return distance(given, best) <= Math.max(2, Math.floor(given.length / 4)) ? ` Did you mean ${prefix}${best}?` : '';
}

function valueHelp(o: CliOption): string {
  const what = o.help.join(' ').replace(/\s+/g, ' ').trim();
  return what === '' ? '' : `: ${what}`;
}

/** A value that is really the next flag (`--poll-interval --once`); negative numbers stay values for the schema to judge. */
const looksLikeFlag = (v: string) => v.startsWith('-') && !/^-\d/.test(v);

/**
 * argv → command and option values, every value a string: the settings schema, not the parser, decides what a number
 * is. Node's parser runs non-strict so each mistake gets one line in the product's voice (exit code 2).
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const known = cliOptions();
  const byName = new Map(known.map((o) => [o.name, o]));
  const byShort = new Map(known.flatMap((o) => (o.short ? [[o.short, o] as const] : [])));
  const options = Object.fromEntries(known.map((o) => [o.name, { type: o.arg === undefined ? ('boolean' as const) : ('string' as const), ...(o.short ? { short: o.short } : {}) }]));
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });

  const values: CliArgs['values'] = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind !== 'option') continue;
    const option = t.rawName.startsWith('--') ? byName.get(t.name) : byShort.get(t.name) ?? byName.get(t.name);
    if (!option) {
      const names = known.map((o) => o.name);
      throw new UsageError(`Unknown option ${t.rawName}.${suggestion(t.name, names, '--')} See --help.`);
    }
    if (option.arg === undefined) {
      if (t.value !== undefined) throw new UsageError(`--${option.name} takes no value (got ${t.rawName}=${t.value}). See --help.`);
      values[option.name] = true;
      continue;
    }
    if (t.value === undefined || (!t.inlineValue && looksLikeFlag(t.value))) {
      throw new UsageError(`--${option.name} needs a value (${option.arg})${valueHelp(option)}.`);
    }
    values[option.name] = t.value;
  }
  const [command = 'sync', ...rest] = positionals;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`Unknown command "${command}".${suggestion(command, COMMANDS, '')} Commands: sync (default), demo, backfill. See --help.`);
  }
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}". See --help.`);
  return { command: command as CliArgs['command'], values };
}

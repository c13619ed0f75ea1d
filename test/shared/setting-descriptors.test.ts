import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { parseCliArgs } from '../../src/cli/cli-args.js';
import { cliOptions } from '../../src/cli/cli-options.js';
import { helpText } from '../../src/cli/help.js';
import { ENV_SETTINGS, loadSettings } from '../../src/cli/load-settings.js';
import { SETTING_DESCRIPTORS, formSettings, settingEntries } from '../../src/shared/setting-descriptors.js';
import { readSetting, settingSchema, type SettingPath } from '../../src/shared/setting-path.js';
import { AlertSettings, FilterRules, Settings } from '../../src/shared/settings.js';
import { FIELD_PATHS } from '../../src/renderer/validate-settings.js';
import { REPO_ROOT } from '../build/build-into.js';

const CANDIDATES = ['http://sample.test:9', 'DEBUG', 'never', 'otlp', 'tokens >= 1', '/run/sample'];

/** A value the setting's own schema accepts, as the string a flag or env var would carry, and what it parses to. */
function sample(path: SettingPath): { raw: string; value: unknown } {
  const schema = settingSchema(path) as z.ZodType;
  const kind = SETTING_DESCRIPTORS[path].kind;
  if (kind === 'list') return { raw: 'main, group', value: ['main', 'group'] };
  if (kind === 'number') {
    const n = ((schema as z.ZodNumber).minValue ?? 0) + 1;
    return { raw: String(n), value: n };
  }
  const raw = CANDIDATES.find((c) => schema.safeParse(c).success);
  assert.ok(raw, `a sample value for ${path}`);
  return { raw, value: schema.parse(raw) };
}

test('every schema key has exactly one descriptor, and every descriptor a schema key', () => {
  const leaves = (prefix: string, shape: Record<string, unknown>) => Object.keys(shape).map((k) => `${prefix}${k}`);
  const nested = new Set(['filter', 'alerts']);
  const schemaKeys = [
    ...leaves('', Settings.shape).filter((k) => !nested.has(k)),
    ...leaves('filter.', FilterRules.shape),
    ...leaves('alerts.', AlertSettings.shape),
  ];
  assert.deepEqual(Object.keys(SETTING_DESCRIPTORS).sort(), schemaKeys.sort());
});

test('flag names, env names and form ids are each spelled once', () => {
  const unique = (names: string[], what: string) => assert.equal(new Set(names).size, names.length, `${what}: ${names.join(', ')}`);
  unique(cliOptions().map((o) => o.name), 'flags');
  unique(cliOptions().flatMap((o) => (o.env ? [o.env] : [])), 'env vars');
  unique(formSettings().map((s) => s.form.id), 'form ids');
  for (const [path, d] of settingEntries()) if (d.env) assert.match(d.env, /^AGENTWATCH_SYNC_[A-Z_]+$/, path);
});

test("every descriptor's flag parses into its own setting, and a bad value names both", async () => {
  for (const [path, d] of settingEntries()) {
    if (!d.flag) continue;
    const flag = `--${d.flag.name}`;
    if (d.flag.arg === undefined) {
      assert.equal(readSetting(await loadSettings(parseCliArgs([flag]).values, {}), path), d.flag.sets, flag);
      continue;
    }
    const { raw, value } = sample(path);
    assert.deepEqual(readSetting(await loadSettings(parseCliArgs([flag, raw]).values, {}), path), value, `${flag} ${raw}`);
    await assert.rejects(loadSettings(parseCliArgs([flag, '']).values, {}), (e: Error) => e.message.startsWith(`Invalid setting ${path} (${flag}): `), flag);
  }
});

test("every descriptor's env var fills its own setting", async () => {
  for (const [path, d] of settingEntries()) {
    if (!d.env) continue;
    assert.equal(ENV_SETTINGS[d.env], path);
    const { raw, value } = sample(path);
    assert.deepEqual(readSetting(await loadSettings({}, { [d.env]: raw }), path), value, d.env);
  }
});

test('--help lists every flag and every environment variable', () => {
  const help = helpText();
  for (const o of cliOptions()) assert.ok(help.includes(`--${o.name}${o.arg ? ` ${o.arg}` : ''}`), `--help shows --${o.name}`);
  for (const o of cliOptions()) if (o.env) assert.ok(help.includes(o.env), `--help names ${o.env}`);
});

test("the CLI reference's flags and AGENTWATCH_SYNC_* variables are all ones the CLI reads", () => {
  const cli = readFileSync(join(REPO_ROOT, 'docs/cli.md'), 'utf8');
  const documentedEnv = new Set(cli.match(/AGENTWATCH_SYNC_[A-Z_]+/g));
  const envs = new Set(cliOptions().flatMap((o) => (o.env ? [o.env] : [])));
  for (const name of documentedEnv) assert.ok(envs.has(name), `${name} is read`);
  const flags = [...cli.matchAll(/^\| `(--[a-z-]+)/gm)].map((m) => m[1]!.slice(2));
  assert.ok(flags.length > 20);
  for (const flag of flags) assert.ok(cliOptions().some((o) => o.name === flag), `--${flag} is an option`);
});

test('the window edits each form setting in one control, with select options from the schema', () => {
  const html = readFileSync(join(REPO_ROOT, 'src/renderer/index.html'), 'utf8');
  // The Alerts card builds its own placeholders (src/renderer/alerts-section.ts).
  const alertsCard = readFileSync(join(REPO_ROOT, 'src/renderer/alerts-section.ts'), 'utf8');
  for (const s of formSettings()) {
    const places = html.split(`data-setting="${s.path}"`).length - 1 + alertsCard.split(`'${s.path}'`).length - 1;
    assert.equal(places, 1, `index.html or the Alerts card has one place for ${s.path}`);
    assert.ok(!html.includes(`data-path="${s.path}"`), `${s.path} is built from its descriptor, not written by hand`);
    assert.ok(FIELD_PATHS.includes(s.path), `errors for ${s.path} land on its field`);
    if (s.form.control === 'select') assert.deepEqual(Object.keys(s.form.options ?? {}), (settingSchema(s.path) as z.ZodEnum).options);
  }
});

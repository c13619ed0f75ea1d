import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { loadBuilderConfig, repoRoot, trayFiles, type BuilderConfig } from './packaging-kit.js';

const require = createRequire(import.meta.url);

// The schema electron-builder ships, resolved from electron-builder's own dependency tree (its validator coerces
// types, so this stricter ajv catches `asar: "true"` too).
function compileSchema() {
  const builderDir = dirname(require.resolve('electron-builder/package.json'));
  const schemaPath = require.resolve('app-builder-lib/scheme.json', { paths: [builderDir] });
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

const validate = compileSchema();

function errorsOf(config: unknown): string[] {
  return validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

test('electron-builder.yml validates against electron-builder\'s own schema', () => {
  assert.deepEqual(errorsOf(loadBuilderConfig()), []);
});

test('the schema check rejects a typo at the top level, a typo nested in linux and a string where a boolean goes', () => {
  const topTypo = { ...loadBuilderConfig(), productNmae: 'x' };
  assert.ok(errorsOf(topTypo).some((e) => e.includes('"additionalProperty":"productNmae"')), errorsOf(topTypo).join('\n'));

  const config = loadBuilderConfig();
  const nestedTypo = { ...config, linux: { ...config.linux, categroy: 'Utility' } };
  assert.ok(errorsOf(nestedTypo).some((e) => e.startsWith('/linux ') && e.includes('categroy')));

  assert.notDeepEqual(errorsOf({ ...config, asar: 'true' }), []);
});

test('the config names the app id, product, Electron version and the security fuses', () => {
  const c: BuilderConfig = loadBuilderConfig();
  assert.equal(c.appId, 'dev.agentwatch.livesync');
  assert.equal(c.productName, 'AgentWatch Live Sync');
  const electronPkg = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string };
  assert.equal(c.electronVersion, electronPkg.version, 'electronVersion must match the installed electron package');
  assert.deepEqual(c.electronFuses, {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
  });
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string };
  assert.equal(c.extraMetadata.main, pkg.main, 'package.json main and the packaged main must agree');
});

test('the Linux window class, desktop file name and executable name agree, so the tray app groups under its entry', () => {
  const c = loadBuilderConfig();
  const { entry } = c.linux.desktop;
  assert.equal(c.extraMetadata.desktopName, `${c.linux.executableName}.desktop`);
  assert.equal(entry.StartupWMClass, c.linux.executableName);
  assert.match(entry.Categories ?? '', /^Utility;Monitor;$/);
});

test('every icon and resource path the config names exists in the repository', () => {
  const c = loadBuilderConfig();
  assert.ok(existsSync(join(repoRoot, c.directories.buildResources)), `buildResources ${c.directories.buildResources}`);
  for (const icon of [c.mac.icon, c.win.icon, c.linux.icon]) {
    assert.ok(existsSync(join(repoRoot, icon)), `${icon} is missing: run npm run icons`);
  }
  // electron-builder picks these up from buildResources by convention when no explicit icon is given.
  for (const name of ['icon.icns', 'icon.ico', 'icon.png']) {
    assert.ok(existsSync(join(repoRoot, c.directories.buildResources, name)), `${name} is missing: run npm run icons`);
  }
  assert.ok(c.files.includes('assets/tray/**'));
  for (const name of trayFiles) assert.ok(existsSync(join(repoRoot, 'assets', 'tray', name)), `assets/tray/${name}`);
});

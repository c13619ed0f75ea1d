import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { afterEach, beforeEach } from 'node:test';
import { autostartPath, createLoginItem, quoteExecArg } from '../../src/main/login-item.js';
import { __test, app } from '../support/fake-electron/index.js';

let home: string;
beforeEach(() => {
  __test.reset();
  home = fs.mkdtempSync(join(tmpdir(), 'login-item-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

/** Reads a .desktop file the way a desktop-entry parser would: groups and key=value lines. */
function parseDesktopFile(text: string): Record<string, Record<string, string>> {
  const groups: Record<string, Record<string, string>> = {};
  let group: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      group = groups[header[1]!] = {};
      continue;
    }
    const kv = /^([A-Za-z0-9-]+)=(.*)$/.exec(line);
    assert.ok(kv && group, `valid line: ${line}`);
    assert.equal(kv[1]! in group, false, `duplicate key ${kv[1]}`);
    group[kv[1]!] = kv[2]!;
  }
  return groups;
}

test('Linux: turning it on writes a valid XDG autostart entry, turning it off removes it', () => {
  const exe = '/opt/AgentWatch Sync/agentwatch-sync';
  const item = createLoginItem({ platform: 'linux', app, fs, env: {}, homeDir: home, execPath: exe });
  const path = join(home, '.config', 'autostart', 'agentwatch-sync.desktop');
  assert.equal(item.isEnabled(), false);
  item.set(true);
  assert.equal(item.isEnabled(), true);
  const entry = parseDesktopFile(fs.readFileSync(path, 'utf8'))['Desktop Entry'];
  assert.ok(entry);
  assert.equal(entry.Type, 'Application');
  assert.equal(entry.Name, 'AgentWatch Live Sync');
  assert.equal(entry.Exec, '"/opt/AgentWatch Sync/agentwatch-sync"');
  assert.equal(entry.Terminal, 'false');
  item.set(false);
  assert.equal(fs.existsSync(path), false);
  assert.equal(item.isEnabled(), false);
  item.set(false); // already off: no error
});

test('XDG_CONFIG_HOME is honoured when absolute, ignored when relative', () => {
  assert.equal(autostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/u'), '/cfg/autostart/agentwatch-sync.desktop');
  assert.equal(autostartPath({ XDG_CONFIG_HOME: 'cfg' }, '/home/u'), '/home/u/.config/autostart/agentwatch-sync.desktop');
});

test('Exec quoting escapes the reserved characters per the Desktop Entry spec', () => {
  assert.equal(quoteExecArg('/a b/c'), '"/a b/c"');
  assert.equal(quoteExecArg('/x$y'), '"/x\\\\$y"');
  assert.equal(quoteExecArg('/100%'), '"/100%%"');
  assert.equal(quoteExecArg('/say "hi"'), '"/say \\\\"hi\\\\""');
});

test('macOS and Windows use the login item settings of the OS', () => {
  const item = createLoginItem({ platform: 'darwin', app, fs, env: {}, homeDir: home, execPath: '/x' });
  item.set(true);
  assert.deepEqual(__test.state.loginItem, { openAtLogin: true, openAsHidden: true });
  assert.equal(item.isEnabled(), true);
  item.set(false);
  assert.equal(item.isEnabled(), false);
  assert.equal(fs.existsSync(join(home, '.config')), false);
});

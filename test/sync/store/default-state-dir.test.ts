import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultStateDir } from '../../../src/sync/store/default-state-dir.js';

test('the env override wins on every platform', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    assert.equal(defaultStateDir({ AGENTWATCH_SYNC_STATE_DIR: '/x/state' }, platform, '/home/u'), '/x/state');
  }
});

test('Linux uses $XDG_STATE_HOME when absolute, else ~/.local/state', () => {
  assert.equal(defaultStateDir({ XDG_STATE_HOME: '/xdg' }, 'linux', '/home/u'), '/xdg/agentwatch-sync');
  assert.equal(defaultStateDir({ XDG_STATE_HOME: 'rel' }, 'linux', '/home/u'), '/home/u/.local/state/agentwatch-sync');
  assert.equal(defaultStateDir({ XDG_STATE_HOME: '' }, 'linux', '/home/u'), '/home/u/.local/state/agentwatch-sync');
  assert.equal(defaultStateDir({}, 'freebsd', '/home/u'), '/home/u/.local/state/agentwatch-sync');
});

test('macOS uses Application Support', () => {
  assert.equal(
    defaultStateDir({ XDG_STATE_HOME: '/xdg' }, 'darwin', '/Users/u'),
    '/Users/u/Library/Application Support/agentwatch-sync',
  );
});

test('Windows uses %LOCALAPPDATA%, falling back to the profile', () => {
  assert.equal(
    defaultStateDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'),
    'C:\\Users\\u\\AppData\\Local\\agentwatch-sync',
  );
  assert.equal(defaultStateDir({}, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\agentwatch-sync');
});

test('an empty override is ignored', () => {
  assert.equal(defaultStateDir({ AGENTWATCH_SYNC_STATE_DIR: ' ' }, 'linux', '/h'), '/h/.local/state/agentwatch-sync');
});

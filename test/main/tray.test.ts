import assert from 'node:assert/strict';
import { join } from 'node:path';
import test, { beforeEach } from 'node:test';
import { createTray, trayIconPath } from '../../src/main/tray.js';
import type { TrayActions } from '../../src/main/tray-menu.js';
import { __test, Menu, nativeImage, Tray, type FakeNativeImage } from '../support/fake-electron/index.js';
import { status } from './fake-engine.js';
import { clockFormatter } from '../../src/shared/format-clock.js';

const NOW = 1_800_000_000_000;
const noop = () => {};
const actions: TrayActions = { pause: noop, resume: noop, runOnce: noop, openSettings: noop, openExternal: noop, openLogFile: noop, copyText: noop, restartToUpdate: noop, quit: noop };
const options = () => ({ dashboardUrl: 'http://localhost:8766', formatTime: clockFormatter('en-GB'), finishedGraceMs: 600_000, trayTitle: 'off' as const });

function deps(platform: NodeJS.Platform) {
  return {
    createTray: (image: FakeNativeImage) => new Tray(image),
    buildMenu: Menu.buildFromTemplate,
    imageFromPath: nativeImage.createFromPath,
    platform,
    assetsDir: '/app/assets/tray',
    now: () => NOW,
  };
}

beforeEach(() => __test.reset());

test('icon file per state and platform (macOS uses Template images)', () => {
  assert.equal(trayIconPath('ok', 'linux', '/a'), join('/a', 'tray-ok.png'));
  assert.equal(trayIconPath('stale', 'win32', '/a'), join('/a', 'tray-stale.png'));
  assert.equal(trayIconPath('error', 'darwin', '/a'), join('/a', 'tray-errorTemplate.png'));
});

test('every status change sets the context menu again and swaps the icon only when the state changes', () => {
  const tray = createTray<FakeNativeImage>(deps('linux'), actions, options, status({ phase: 'starting' }));
  const fake = __test.trays[0]!;
  assert.deepEqual(fake.images.map((i) => i.path), ['/app/assets/tray/tray-syncing.png']);
  assert.equal(fake.menus.length, 1);

  tray.update(status({ lastSuccessAt: NOW - 1000 }));
  tray.update(status({ lastSuccessAt: NOW - 500, pollCount: 2 }));
  tray.update(status({ lastSuccessAt: NOW - 500, consecutiveErrors: 1, lastError: { code: 'NETWORK', message: 'Gateway unreachable.', at: NOW } }));
  assert.deepEqual(fake.images.map((i) => i.path), ['/app/assets/tray/tray-syncing.png', '/app/assets/tray/tray-ok.png', '/app/assets/tray/tray-error.png']);
  assert.equal(fake.menus.length, 4, 'Linux needs setContextMenu on every change');
  assert.equal(fake.menus[2]!.getMenuItemById('poll-count')?.label, 'Polls: 2 (0 failed)');
  assert.match(fake.tooltips.at(-1)!, /error: Gateway unreachable\.$/);
});

test('macOS marks the icon as a template image; Windows opens settings on click', () => {
  createTray<FakeNativeImage>(deps('darwin'), actions, options, status());
  assert.equal(__test.trays[0]!.images[0]!.template, true);
  let opened = 0;
  createTray<FakeNativeImage>(deps('win32'), { ...actions, openSettings: () => opened++ }, options, status());
  __test.trays[1]!.emit('click');
  assert.equal(opened, 1);
  assert.equal(__test.trays[1]!.images[0]!.template, false);
});

test('macOS shows today\'s tokens or USD beside the icon when asked (off by default); other systems are never asked', () => {
  const today = status({ tokensToday: 1_482_930, costMicrosToday: 4_870_000 });
  let mode: 'off' | 'tokens' | 'usd' = 'off';
  const tray = createTray<FakeNativeImage>(deps('darwin'), actions, () => ({ ...options(), trayTitle: mode }), today);
  const mac = __test.trays[0]!;
  mode = 'tokens';
  tray.update(today);
  mode = 'usd';
  tray.update(today);
  tray.update(status({ tokensToday: 0, costMicrosToday: 0 }));
  tray.update(status({ tokensToday: 900, costMicrosToday: 0, unpricedToday: 2 }));
  assert.deepEqual(mac.titles, ['', '1.5M', '$4.87', '$0.00', '≥$0.00'], 'unpriced runs today make the figure a lower bound, never free');
  createTray<FakeNativeImage>(deps('linux'), actions, () => ({ ...options(), trayTitle: 'tokens' as const }), today).update(today);
  createTray<FakeNativeImage>(deps('win32'), actions, () => ({ ...options(), trayTitle: 'usd' as const }), today).update(today);
  assert.deepEqual([__test.trays[1]!.titles, __test.trays[2]!.titles], [[], []]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canSelfUpdate, TEST_UPDATE_FEED_ENV, type UpdateContext } from '../../src/main/update-eligibility.js';

const packaged = (patch: Partial<UpdateContext> = {}): UpdateContext => ({
  isPackaged: true, platform: 'linux', env: { APPIMAGE: '/home/u/AgentWatch.AppImage' }, packageType: null, hasFeedConfig: true, smokeTest: false, ...patch,
});
const reason = (ctx: UpdateContext) => {
  const v = canSelfUpdate(ctx);
  return v.applies ? 'applies' : v.reason;
};

test('AppImage, the Windows installer and the macOS app update themselves from the release feed', () => {
  assert.deepEqual(canSelfUpdate(packaged()), { applies: true, testFeed: null });
  assert.deepEqual(canSelfUpdate(packaged({ platform: 'win32', env: {} })), { applies: true, testFeed: null });
  assert.deepEqual(canSelfUpdate(packaged({ platform: 'darwin', env: {} })), { applies: true, testFeed: null });
});

test('deb and rpm installs are left to their package manager; snaps to snapd; an unpacked Linux build to a new download', () => {
  assert.equal(reason(packaged({ packageType: 'deb' })), 'installed from a deb package: apt (or your package manager) updates it');
  assert.equal(reason(packaged({ packageType: 'rpm' })), 'installed from a rpm package: dnf/zypper updates it');
  assert.equal(reason(packaged({ env: { SNAP: '/snap/x' } })), 'a snap: snapd updates it');
  assert.match(reason(packaged({ env: {} })), /^not running from an AppImage/);
  assert.match(reason(packaged({ platform: 'freebsd' })), /^no self-update on freebsd/);
});

test('a build without app-update.yml, a smoke test and a development run never check', () => {
  assert.match(reason(packaged({ hasFeedConfig: false })), /resources\/app-update\.yml is missing/);
  assert.equal(reason(packaged({ smokeTest: true })), 'smoke test run');
  assert.equal(reason(packaged({ isPackaged: false, env: {} })), 'development run (not packaged): updates come from git');
});

test('the loopback test feed works only unpacked and only on loopback; a packaged build ignores it and says so', () => {
  const feed = 'http://127.0.0.1:4567/';
  assert.deepEqual(canSelfUpdate(packaged({ isPackaged: false, env: { [TEST_UPDATE_FEED_ENV]: feed } })), { applies: true, testFeed: feed });
  assert.match(reason(packaged({ isPackaged: false, env: { [TEST_UPDATE_FEED_ENV]: 'http://updates.example.com/' } })), /must be an http\(s\) URL on 127\.0\.0\.1 or localhost/);
  assert.match(reason(packaged({ isPackaged: false, env: { [TEST_UPDATE_FEED_ENV]: 'file:///tmp/feed' } })), /must be an http\(s\) URL/);
  const v = canSelfUpdate(packaged({ env: { APPIMAGE: '/a.AppImage', [TEST_UPDATE_FEED_ENV]: feed } }));
  assert.deepEqual(v, { applies: true, testFeed: null, note: `${TEST_UPDATE_FEED_ENV} is ignored: a packaged build reads only its release feed` });
});

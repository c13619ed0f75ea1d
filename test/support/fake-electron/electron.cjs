// require('electron') from CommonJS packages (electron-updater) lands here, via the resolver patch in register.mjs.
// It hands over the same instance the ESM hook gives everyone else (index.ts publishes it on first import), so a
// test's `__test` sees what electron-updater did to `app`.
const fake = globalThis.__agentwatchFakeElectron;
if (!fake) throw new Error("fake electron: import test/support/fake-electron/index.ts before a CommonJS require('electron')");
module.exports = fake;

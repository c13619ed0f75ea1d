// `node --import ./test/support/fake-electron/register.mjs --import tsx`: see hooks.mjs.
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';

register('./hooks.mjs', import.meta.url);

// The ESM hook does not reach require() inside CommonJS packages (electron-updater): map it there too.
const cjsFake = fileURLToPath(new URL('./electron.cjs', import.meta.url));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? cjsFake : resolveFilename.call(this, request, ...rest);
};

// `node --import ./test/support/fake-electron/register.mjs --import tsx`: see hooks.mjs.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);

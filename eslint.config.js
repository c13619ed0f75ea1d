// ESLint: typescript-eslint's recommended rules plus a few type-aware ones that catch real bugs (a promise nobody
// awaits or catches, an await on a non-promise). Import boundaries and cycles live in .dependency-cruiser.cjs.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'out/', 'release/', '.cache/', 'node_modules/', 'bench/results/', 'test/fixtures/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: {
      parserOptions: {
        // Two programs, as for tsc: node (everything but the renderer) and web (renderer + shared).
        project: ['./tsconfig.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself tracks; awaiting them at top level is not the style.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // House style initialises a variable before a try/catch that assigns it on both paths; the rule only flags that.
      'no-useless-assignment': 'off',
    },
  },
  {
    // bench/ is outside both tsconfigs (tsx runs it) and walks profiler JSON: syntax-level rules, any allowed.
    files: ['bench/**/*.ts'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Scripts Playwright injects into the page as text.
    files: ['test/renderer/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
);

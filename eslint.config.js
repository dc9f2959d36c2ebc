import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'coverage/**', 'host/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A secret must never reach a console: the extension logs nothing of its own (warn/error are left for the
      // rare unexpected failure); STS's messages reach the person only through cleanStsMessage (utils/sts-errors.ts),
      // which redacts keys, tokens and the assertion.
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // utils/ holds pure modules: no browser, Node or build API (build rules live in build/, browser calls in
    // entrypoints/).
    files: ['utils/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'wxt', 'wxt/*', 'vite', 'esbuild'], message: 'utils/ is for pure modules (see README, How it is built).' }] },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'tests/**', 'host/**'],
    rules: { 'no-console': 'off' },
  },
);

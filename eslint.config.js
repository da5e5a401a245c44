// Layering rule: only the Electron shell (src/main/electron) and the preload may import `electron`.
// The core must stay runnable under plain Node (tests, headless mode, the browser host).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'test-results/', 'playwright-report/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main/electron and src/preload may import electron: the core runs under plain Node.' }],
          patterns: [{ group: ['electron/*'], message: 'Only src/main/electron and src/preload may import electron.' }],
        },
      ],
    },
  },
  {
    // Tests read JSON answers whose shape is the thing under test; Playwright fixtures must
    // destructure their (possibly empty) fixture argument.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-empty-pattern': 'off' },
  },
  {
    files: ['src/main/electron/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);

// ESLint: code-level rules. The layering (who may import electron, react, a host, the emulator…) is
// checked by dependency-cruiser (.dependency-cruiser.cjs), and the layout by Prettier.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'test-results/',
      'playwright-report/',
      '.data/',
      'native/',
      '.native-build/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON answers whose shape is the thing under test; Playwright fixtures must
    // destructure their (possibly empty) fixture argument.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-empty-pattern': 'off' },
  },
);

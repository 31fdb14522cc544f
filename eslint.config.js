import { createRequire } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const require = createRequire(import.meta.url);
// Salesforce's LWC rules (as LWC Recipes lints its components), for the card only.
const lwcRecommended = require('@salesforce/eslint-config-lwc/recommended');
const LWC = ['force-app/main/default/lwc/**/*.js'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'coverage/**',
      'data/**',
      'bench/results/**',
      'genesys/**',
      '.sfdx/**',
      '.test-results/**',
    ],
  },
  { files: ['**/*.{ts,js,cjs,mjs}'], ignores: LWC, ...js.configs.recommended },
  ...tseslint.configs.recommended.map((config) => ({ ...config, ignores: LWC })),
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ignores: LWC,
    languageOptions: { globals: globals.node },
  },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  ...lwcRecommended.map((config) => ({ ...config, files: LWC })),
  {
    files: ['force-app/main/default/lwc/**/__tests__/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off' },
  },
);

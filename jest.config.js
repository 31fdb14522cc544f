// Jest config for the LWC tests in force-app (`npm run test:lwc` = `sfdx-lwc-jest`).
// sfdx-lwc-jest uses this file instead of its defaults when it exists; the package is
// "type": "module", so this file is ESM and loads the CommonJS preset via createRequire.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

export default {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv ?? []), '<rootDir>/jest-sa11y-setup.js'],
  testTimeout: 10_000,
};

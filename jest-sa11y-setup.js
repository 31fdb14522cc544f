// Registers the @sa11y/jest `toBeAccessible()` matcher for every LWC test (jest.config.js).
import { setup } from '@sa11y/jest';

setup();

import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the card in headless Chromium (test/browser/).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // One browser, pages one after another: two cores, and PNGs in a stable order.
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});

/**
 * Builds the continuityOwner card for a real browser with LWC OSS: Salesforce's
 * `lightning-base-components` for the `lightning-*` tags, the card from
 * force-app as `c/continuityOwner`, and wire adapters answered from the page
 * state (mocks/). One bundle, built once per test run.
 */
import { fileURLToPath } from 'node:url';
import lwc from '@lwc/rollup-plugin';
import { rollup, type Plugin } from 'rollup';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Build-time constants a bundler sets: NODE_ENV (engine, base components) and
 * `import.meta.env.SSR` (base components that skip work on the server; an IIFE
 * has no `import.meta.env`, so it would throw in the browser).
 */
function buildConstants(mode: string): Plugin {
  return {
    name: 'build-constants',
    transform(code) {
      if (!code.includes('process.env.NODE_ENV') && !code.includes('import.meta.env.SSR')) {
        return null;
      }
      const replaced = code
        .replaceAll('process.env.NODE_ENV', JSON.stringify(mode))
        .replaceAll('import.meta.env.SSR', 'false');
      return { code: replaced, map: null };
    },
  };
}

export async function buildCard(): Promise<string> {
  const bundle = await rollup({
    input: here('./entry.js'),
    plugins: [
      buildConstants('production'),
      lwc({
        modules: [
          // The mocks come first: they win over the base components' own adapters.
          { name: 'lightning/uiRecordApi', path: here('./mocks/uiRecordApi.js') },
          { name: 'lightning/uiRelatedListApi', path: here('./mocks/uiRelatedListApi.js') },
          {
            name: 'c/continuityOwner',
            path: here('../../force-app/main/default/lwc/continuityOwner/continuityOwner.js'),
          },
          { npm: 'lightning-base-components' },
        ],
      }),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      // lightning-card declares its title and footer slots in two lwc:if branches.
      if (warning.message.includes('LWC1137')) return;
      warn(warning);
    },
  });
  try {
    const { output } = await bundle.generate({
      format: 'iife',
      name: 'continuityOwnerCard',
      // Base components load some modules lazily; the page gets one script.
      inlineDynamicImports: true,
    });
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

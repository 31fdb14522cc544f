/**
 * The agent's card in a real browser (Debian's chromium through playwright-core):
 * built with LWC OSS and Salesforce's lightning-base-components, styled by SLDS,
 * its wires answered from the LWC test data. For every state and the widths of
 * a record page's side column and main column, nothing may stick out of the
 * card and axe-core must find no violation; a PNG per state and width goes to
 * .test-results/browser/ with screenshots.json describing each.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCard } from './card-build.ts';
import { measureOverflow } from './card-measure.ts';
import { startCardServer, type CardServer } from './card-server.ts';
import { CARD_STATES, PAGE_TIME } from './card-states.ts';

const WIDTHS = [300, 400, 800] as const;
const OUT = join(process.cwd(), '.test-results', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let server: CardServer;
const shots: { file: string; state: string; width: number; description: string }[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await startCardServer(await buildCard(), CARD_STATES);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  writeFileSync(join(OUT, 'screenshots.json'), `${JSON.stringify(shots, null, 2)}\n`);
});

describe.each(CARD_STATES)('the card, $name', (state) => {
  it.each(WIDTHS)('fits %i px, passes axe-core, and is photographed', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    try {
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.clock.setFixedTime(new Date(state.now ?? PAGE_TIME));
      await page.goto(`${server.url}/state/${state.name}?width=${width}`);
      await page.waitForFunction(() => (window as { __CARD_READY__?: boolean }).__CARD_READY__);
      if (state.expandNotes) await page.getByRole('button', { name: 'Show all notes' }).click();
      await page.evaluate(() => document.fonts.ready);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      expect(pageErrors).toEqual([]);

      const measured = await page.evaluate(measureOverflow);
      expect(measured.cardWidth).toBe(width);
      expect(measured.overflows).toEqual([]);
      expect(measured.pageScrollWidth).toBeLessThanOrEqual(width);

      await page.addScriptTag({ url: `${server.url}/axe.js` });
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (
                context: Element,
              ) => Promise<{ violations: { id: string; help: string; nodes: unknown[] }[] }>;
            };
          }
        ).axe;
        const result = await axe.run(document.getElementById('card')!);
        return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
      });
      expect(violations).toEqual([]);

      const file = `${state.name}-${width}.png`;
      await page.locator('#card').screenshot({ path: join(OUT, file) });
      shots.push({ file, state: state.name, width, description: state.description });
    } finally {
      await page.close();
    }
  });
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../../src/demo/demo.ts', import.meta.url));

describe('npm run demo', () => {
  it('starts its own Redis, replays a day and shows every customer owned by their newest conversation', async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', DEMO_CUSTOMERS: '60' };
    const child = spawn(process.execPath, [DEMO], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/own redis-server on redis:\/\/127\.0\.0\.1:\d+/);
    expect(output).toContain('failed jobs: 0');
    expect(output).toContain('every customer is owned by their newest conversation');
    expect(output).toMatch(/Continuity hit rate: \d+\.\d%/);
    for (const reason of [
      'owner_available',
      'owner_offline',
      'context_stale',
      'no_history',
      'invalid_address',
    ]) {
      expect(output).toContain(reason);
    }
    const counts =
      /(\d+) deliveries in shuffled order, (\d+) of them after a newer event of the same customer/.exec(
        output,
      );
    expect(counts, output).not.toBeNull();
    expect(Number(counts![2])).toBeLessThan(Number(counts![1]));
    // The embedded store's temp folder is removed when the demo ends.
    const store = /embedded store (\S+)demo\.sqlite/.exec(output)?.[1];
    expect(store).toBeTruthy();
    expect(existsSync(store!)).toBe(false);
    // Numbers are masked in what the demo prints.
    expect(output).not.toMatch(/\+?5511\d{9}/);
  }, 60_000);
});

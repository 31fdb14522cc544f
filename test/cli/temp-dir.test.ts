import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HELPER = fileURLToPath(new URL('../support/temp-dir.ts', import.meta.url));

describe('test temp folders', () => {
  it('are removed when the process that made them exits', () => {
    const script = `import { tempDir } from ${JSON.stringify(HELPER)};
      import { writeFileSync } from 'node:fs';
      const dir = tempDir('cb-temp-test-');
      writeFileSync(dir + '/file', 'x');
      console.log(dir);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const dir = run.stdout.trim();
    expect(dir).toMatch(/cb-temp-test-/);
    expect(existsSync(dir)).toBe(false);
  });
});

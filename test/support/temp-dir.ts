import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

function removeAll(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}

/**
 * A fresh folder under the system's temp directory, removed when the test
 * process exits (every test run used to leave its folders behind). Servers
 * writing into one must be stopped first, as the suites' afterAll hooks do.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (made.size === 0) process.once('exit', removeAll);
  made.add(dir);
  return dir;
}

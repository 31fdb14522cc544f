import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript on purpose (it must run on any Node); no types
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from '../../bin/node-version.js';

const BIN = fileURLToPath(new URL('../../bin/continuity-bridge.js', import.meta.url));
const check = nodeVersionProblem as (version: string, execPath: string) => string | null;

/** An older Node on this machine's PATH, if any (the system Node 20 here). */
function olderNode(): string | undefined {
  const found = spawnSync('sh', ['-c', 'which -a node'], { encoding: 'utf8' }).stdout;
  return found
    .split('\n')
    .filter(Boolean)
    .find((path) => {
      const version = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' });
      return Number(version.stdout.split('.')[0]) < REQUIRED_NODE_MAJOR;
    });
}

describe('the Node version check of the bin', () => {
  it('accepts Node 24 and newer', () => {
    expect(check('24.0.0', '/x/node')).toBeNull();
    expect(check('26.1.0', '/x/node')).toBeNull();
  });

  it('names the Node it needs, the one it got, and how to get the right one', () => {
    const line = check('20.20.2', '/usr/local/bin/node')!;
    expect(line).toContain('needs Node.js 24 or newer');
    expect(line).toContain('Node 20.20.2 (/usr/local/bin/node)');
    expect(line).toContain('nvm install 24');
    expect(line).not.toContain('\n');
  });

  it.skipIf(olderNode() === undefined)(
    'on an older Node prints that one line and exits 1, instead of ERR_UNKNOWN_FILE_EXTENSION',
    () => {
      const result = spawnSync(olderNode()!, [BIN, 'serve'], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('needs Node.js 24 or newer');
      expect(result.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
    },
  );
});

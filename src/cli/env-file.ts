import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * `--env-file <path>` (or `--env-file=<path>`), anywhere on the command line:
 * the file's variables (dotenv syntax, as `node --env-file` reads it) are
 * added to the environment; a variable already set in the environment wins,
 * as with Node's own flag. Several files may be given; earlier files win.
 * Returns the command line without the option, or an error to print (exit 2).
 */
export function applyEnvFiles(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { argv: string[]; env: NodeJS.ProcessEnv } | { error: string } {
  const rest: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--env-file') {
      const path = argv[i + 1];
      if (path === undefined || path.startsWith('-')) return { error: '--env-file needs a path' };
      files.push(path);
      i += 1;
    } else if (arg.startsWith('--env-file=')) {
      files.push(arg.slice('--env-file='.length));
    } else {
      rest.push(arg);
    }
  }
  if (files.length === 0) return { argv: rest, env };
  const fromFiles: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      return { error: `--env-file: cannot read ${file} (${code})` };
    }
    for (const [name, value] of Object.entries(parseEnv(text))) {
      if (value !== undefined && !(name in fromFiles)) fromFiles[name] = value;
    }
  }
  const merged: NodeJS.ProcessEnv = { ...fromFiles };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;
  return { argv: rest, env: merged };
}

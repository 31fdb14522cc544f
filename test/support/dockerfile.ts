import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, matchesGlob, relative } from 'node:path';

/*
 * Just enough of Docker's build semantics to perform an image's steps on this
 * machine, which runs no Docker engine: the instructions of a Dockerfile, the
 * build context that .dockerignore leaves, and COPY into a directory standing
 * for WORKDIR.
 */

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Instructions in order, continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

/** `ENV A=1 B=2` pairs. */
export function envOf(instructions: readonly Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of instructions) {
    if (keyword !== 'ENV') continue;
    for (const pair of args.split(/\s+/)) {
      const [key, ...value] = pair.split('=');
      env[key!] = value.join('=');
    }
  }
  return env;
}

/** Whether .dockerignore `patterns` leave `file` (a path relative to the context) in the context. */
export function inContext(file: string, patterns: readonly string[]): boolean {
  // Docker's `*` matches names starting with a dot; Node's glob does not, so
  // leading dots are taken off both sides before matching.
  const undot = (path: string) => path.replace(/(^|\/)\./g, '$1');
  let included = true;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = undot((negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, ''));
    const path = undot(file);
    if (matchesGlob(path, pattern) || matchesGlob(path, `${pattern}/**`)) included = negated;
  }
  return included;
}

function walk(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === '.git') return [];
    return statSync(path).isDirectory() ? walk(root, path) : [relative(root, path)];
  });
}

/** The build context: every file of `repo` that .dockerignore leaves in. */
export function buildContext(repo: string): string[] {
  const patterns = readFileSync(join(repo, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return walk(repo).filter((file) => inContext(file, patterns));
}

/** Performs `COPY <sources…> <dest>` from the context into `workdir`. */
export function copyInto(context: readonly string[], repo: string, args: string, workdir: string) {
  const parts = args.split(/\s+/);
  const dest = parts.pop()!;
  for (const source of parts) {
    const prefix = source.replace(/^\.\/|\/$/g, '');
    const files = context.filter((file) => file === prefix || file.startsWith(`${prefix}/`));
    if (files.length === 0) throw new Error(`COPY ${source}: not in the build context`);
    for (const file of files) {
      // A file goes into a `dest/` folder or becomes `dest`; a folder's contents go into `dest`.
      const target =
        file === prefix
          ? join(workdir, dest, dest.endsWith('/') ? basename(file) : '')
          : join(workdir, dest, file.slice(prefix.length + 1));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(repo, file), target);
    }
  }
}

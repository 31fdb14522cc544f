import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './cli-io.ts';

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * `util.parseArgs` in strict mode with `-h/--help` added to every command; a
 * parse error (unknown option, missing value) becomes a UsageError (exit 2).
 */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: O,
) {
  try {
    return parseArgs({
      args: [...argv],
      options: { ...options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(argumentProblem(error, Object.keys({ ...options, ...HELP_OPTION })));
  }
}

/**
 * `util.parseArgs`'s error in the CLI's words: an unknown option names the
 * nearest known one (`--queue` → `--queue-id`), a missing value says which
 * option needs one; other messages are kept.
 */
export function argumentProblem(error: unknown, known: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown !== undefined) {
    const nearest = nearestOption(unknown, known);
    return nearest
      ? `unknown option ${unknown} (did you mean --${nearest}?)`
      : `unknown option ${unknown} (options: ${known.map((k) => `--${k}`).join(', ')})`;
  }
  const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message)?.[1];
  if (missing) return `${missing} needs a value`;
  return message;
}

/** The known option closest to what was typed: a prefix of it, or at most 2 edits away. */
export function nearestOption(typed: string, known: readonly string[]): string | null {
  const word = typed.replace(/^-+/, '').split('=')[0]!.toLowerCase();
  if (word === '') return null;
  const prefixed = known.filter((k) => k.startsWith(word) || word.startsWith(k));
  if (prefixed.length === 1) return prefixed[0]!;
  let best: string | null = null;
  let bestDistance = 3;
  for (const option of known) {
    const distance = editDistance(word, option);
    if (distance < bestDistance) [best, bestDistance] = [option, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** `90m`, `6h`, `2d`, `1h30m`, `1w` → milliseconds; a UsageError naming the option otherwise. */
export function parseDuration(value: string, option: string): number {
  const text = value.trim().toLowerCase();
  if (!/^(\d+[smhdw])+$/.test(text)) {
    throw new UsageError(`${option}: "${value}" is not a duration (examples: 90m, 6h, 2d, 1h30m)`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0);
  }
  if (total <= 0) throw new UsageError(`${option}: the duration must be longer than zero`);
  return total;
}

/** An ISO-8601 instant with a date and a time (`2026-11-25T12:00:00Z`) → epoch ms. */
export function parseInstant(value: string, option: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new UsageError(
      `${option}: "${value}" is not an ISO time (example: 2026-11-25T12:00:00Z)`,
    );
  }
  return ms;
}

/** A positive integer option value. */
export function parsePositiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new UsageError(`${option}: "${value}" is not a positive whole number`);
  }
  return n;
}

/** `1 h 30 min`-style text for a duration, for progress and summaries. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours === 0 ? `${days} d` : `${days} d ${restHours} h`;
}

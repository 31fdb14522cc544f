import { isBridgeError } from '../errors/catalogue.ts';
import { maskPhoneNumbers } from '../observability/logger.ts';

/**
 * Where a command writes. Commands take it as a parameter so tests can run
 * them in-process (against nock) and read what they printed.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/** A command: arguments after its name, the environment, where to write; resolves to the exit code. */
export type Command = (
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io?: CliIo,
) => Promise<number>;

/** Exit codes shared by every command (sysexits.h for the configuration one). */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

/** A wrong command line: printed with a pointer to `--help`, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command-specific "cannot run as configured" condition: printed as is, exit 78. */
export class ConfigurationProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationProblem';
  }
}

export interface Palette {
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

const sgr = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/**
 * Colour only for a terminal, and never when NO_COLOR is set to a non-empty
 * value (https://no-color.org).
 */
export function palette(isTTY: boolean, env: NodeJS.ProcessEnv): Palette {
  const enabled = isTTY && !env.NO_COLOR;
  if (!enabled) return { green: plain, red: plain, yellow: plain, bold: plain, dim: plain };
  return {
    green: sgr(32, 39),
    red: sgr(31, 39),
    yellow: sgr(33, 39),
    bold: sgr(1, 22),
    dim: sgr(2, 22),
  };
}

/** An error's message with anything phone-like masked (operators paste CLI output into tickets). */
export function safeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return maskPhoneNumbers(message);
}

/**
 * Runs a command body and maps what it throws to an exit code: usage errors 2,
 * configuration errors 78 (as `serve` does), anything else 1 with its message.
 */
export async function runCommand(
  name: string,
  io: CliIo,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(
        `continuity-bridge ${name}: ${error.message}\nRun "continuity-bridge ${name} --help" for usage.\n`,
      );
      return EXIT.usage;
    }
    if (isBridgeError(error, 'CB_ERR_CONFIG')) {
      io.stderr(`Configuration error: ${safeMessage(error)}\n`);
      return EXIT.config;
    }
    if (error instanceof ConfigurationProblem) {
      io.stderr(`${error.message}\n`);
      return EXIT.config;
    }
    io.stderr(`continuity-bridge ${name}: ${safeMessage(error)}\n`);
    return EXIT.failure;
  }
}

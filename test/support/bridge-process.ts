import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/continuity-bridge.js', import.meta.url));

export interface BridgeProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Log lines whose `msg` contains `text`. */
  lines(text: string): string[];
  /** SIGKILLs it if it is still running (test clean-up). */
  kill(): void;
}

/** Spawns `command args` (the bin by default) in the repo with `env`, collecting its output. */
export function spawnBridge(
  env: Record<string, string>,
  command: { file: string; args: string[]; cwd?: string } = {
    file: process.execPath,
    args: [BIN, 'serve'],
  },
): BridgeProcess {
  const child = spawn(command.file, command.args, {
    cwd: command.cwd ?? REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    output: () => output,
    exited,
    lines: (text) => output.split('\n').filter((line) => line.includes(text)),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** True while something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

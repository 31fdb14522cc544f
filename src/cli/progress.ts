import type { CliIo } from './cli-io.ts';

export interface Progress {
  /** `done` of `total` units handled; `note` is appended (e.g. running counts). */
  update(done: number, note?: string): void;
  /** Draws the last state reported and ends the line. */
  finish(note?: string): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  readonly unit: string;
  /** Plain mode prints at most one line per interval. @defaultValue 2000 ms */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

const BAR_WIDTH = 24;

function percent(done: number, total: number): number {
  return total === 0 ? 100 : Math.floor((done / total) * 100);
}

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, else a plain
 * line now and then (logs and CI keep one line per step, no carriage returns).
 */
export function createProgress(io: CliIo, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 2000;
  const { label, total, unit } = options;
  // Plain mode: the first line after one interval (short runs print only the last).
  let last = io.stderrIsTTY ? Number.NEGATIVE_INFINITY : now();
  let lastDone = 0;
  const text = (done: number, note?: string) =>
    `${done}/${total} ${unit} (${percent(done, total)}%)${note ? ` ${note}` : ''}`;

  if (io.stderrIsTTY) {
    const draw = (done: number, note?: string) => {
      const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      io.stderr(`\r\u001b[2K${label} ${bar} ${text(done, note)}`);
    };
    return {
      update(done, note) {
        const at = now();
        lastDone = done;
        if (at - last < 100 && done !== total) return;
        last = at;
        draw(done, note);
      },
      finish(note) {
        draw(lastDone, note);
        io.stderr('\n');
      },
    };
  }
  return {
    update(done, note) {
      const at = now();
      lastDone = done;
      if (at - last < interval) return;
      last = at;
      io.stderr(`${label}: ${text(done, note)}\n`);
    },
    finish(note) {
      io.stderr(`${label}: ${text(lastDone, note)}\n`);
    },
  };
}

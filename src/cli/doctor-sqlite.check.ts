import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readSync,
  statSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fail, ok, type CheckResult } from './doctor-report.ts';

const AREA = 'store';

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function hasSqliteHeader(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(HEADER.length);
    readSync(fd, buffer, 0, HEADER.length, 0);
    return buffer.equals(HEADER);
  } finally {
    closeSync(fd);
  }
}

/** The nearest directory that exists on the way up from `path`. */
function existingAncestor(path: string): string {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * The embedded store: the file (or the directory it will be created in) is
 * writable, and an existing file is a SQLite database. Nothing is opened for
 * writing, nothing is created.
 */
export function checkSqlite(path: string): CheckResult[] {
  const absolute = resolve(path);
  const fix = `make ${dirname(absolute)} writable for the bridge's user, or point SQLITE_PATH elsewhere`;
  if (!existsSync(absolute)) {
    const dir = existingAncestor(absolute);
    if (!statSync(dir).isDirectory()) {
      return [
        fail(AREA, `SQLite: cannot create ${absolute}: ${dir} is a file, not a directory`, fix),
      ];
    }
    return writable(dir)
      ? [ok(AREA, `SQLite (no Salesforce credentials): ${absolute} will be created on first start`)]
      : [fail(AREA, `SQLite: cannot create ${absolute}: ${dir} is not writable`, fix)];
  }
  if (!statSync(absolute).isFile()) return [fail(AREA, `SQLite: ${absolute} is not a file`, fix)];
  if (!writable(absolute) || !writable(dirname(absolute))) {
    return [
      fail(AREA, `SQLite: ${absolute} (or its directory, for the journal) is not writable`, fix),
    ];
  }
  // Only the header is read: opening a WAL database, even read-only, creates
  // its -shm and -wal files, and doctor writes nothing.
  const size = statSync(absolute).size;
  if (size > 0 && !hasSqliteHeader(absolute)) {
    return [
      fail(
        AREA,
        `SQLite: ${absolute} is not a SQLite database`,
        'move the file away and let the bridge create a new one, or fix SQLITE_PATH',
      ),
    ];
  }
  return [ok(AREA, `SQLite: ${absolute} is writable (${Math.ceil(size / 1024)} KiB)`)];
}

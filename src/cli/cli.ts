import { EXIT } from './cli-io.ts';
import { run } from './program.ts';

// The entry point of bin/continuity-bridge.js: runs one command line.
try {
  const code = await run(process.argv.slice(2), process.env);
  if (code >= 0) {
    process.exitCode = code;
    // A one-shot command has closed its connections; should a library still
    // hold a handle, do not hang the operator's shell.
    setTimeout(() => process.exit(code), 2000).unref();
  }
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = EXIT.failure;
}

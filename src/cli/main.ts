import { isBridgeError } from '../errors/catalogue.ts';
import { serve } from './serve.command.ts';

const USAGE = `continuity-bridge <command>

Commands:
  serve      Start the HTTP API and the reconcile worker (default)
  worker     Start the reconcile worker alone (scale out: run several)

Configuration comes from the environment; see README.md.`;

async function run(argv: readonly string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (command) {
    case 'serve':
      await serve(process.env);
      return -1; // keeps running
    case 'worker':
      await serve(process.env, { web: false, worker: true });
      return -1;
    default:
      process.stderr.write(`Unknown command "${command}" ${rest.length ? '' : ''}\n\n${USAGE}\n`);
      return 2;
  }
}

try {
  const code = await run(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
} catch (error) {
  if (isBridgeError(error, 'CB_ERR_CONFIG')) {
    process.stderr.write(`Configuration error: ${(error as Error).message}\n`);
    process.exitCode = 78; // EX_CONFIG
  } else {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}

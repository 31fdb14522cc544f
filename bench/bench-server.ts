// A server for the benchmarks, run as its own process so the load generator
process.on('SIGINT', () => process.exit(0));
// does not share its event loop: `node bench/bench-server.ts lookup|bare`.
import express from 'express';
import { anAgentDecision } from '../test/factories/decision.factory.ts';
import { loadConfig } from '../src/config/config.ts';
import { createBridge } from '../src/main.ts';
import { createLogger } from '../src/observability/logger.ts';

const CONSTANT = anAgentDecision({ reason: 'availability_unknown', contactId: '' });

const mode = process.argv[2];
if (mode === 'bare') {
  const app = express();
  app.post('/v1/routing/lookup', (_req, res) => {
    res.json(CONSTANT);
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
} else {
  const bridge = await createBridge(
    loadConfig(process.env),
    { logger: createLogger('silent') },
    { web: true, worker: false },
  );
  const port = await bridge.listen();
  process.stdout.write(`PORT ${port}\n`);
}

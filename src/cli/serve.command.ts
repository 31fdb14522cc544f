import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../config/config.ts';
import { createBridge } from '../main.ts';

/**
 * With no API_TOKENS configured, a fresh token is generated and printed once,
 * so `npm start` works on a new machine and is still never open to anyone.
 */
export function configWithToken(env: NodeJS.ProcessEnv, print: (line: string) => void): Config {
  const config = loadConfig(env);
  if (config.http.apiTokens.length > 0) return config;
  const token = randomBytes(24).toString('base64url');
  print(
    `No API_TOKENS set: generated a token for this run (it is not stored; set API_TOKENS to keep one):\n  ${token}`,
  );
  return loadConfig({ ...env, API_TOKENS: token });
}

export async function serve(env: NodeJS.ProcessEnv): Promise<void> {
  const config = configWithToken(env, (line) => process.stdout.write(`${line}\n`));
  const bridge = await createBridge(config);
  const port = await bridge.listen();
  bridge.logger.info(
    { port, store: bridge.store.kind, genesys: config.genesys.enabled },
    `continuity-bridge listening on http://${config.http.host}:${port}`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    bridge.logger.info({ signal }, 'shutting down: draining requests');
    await bridge.close();
    bridge.logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

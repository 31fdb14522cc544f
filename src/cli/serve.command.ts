import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../config/config.ts';
import { createBridge, type BridgeRoles } from '../main.ts';

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

export async function serve(
  env: NodeJS.ProcessEnv,
  roles: BridgeRoles = { web: true, worker: true },
): Promise<void> {
  const config = roles.web
    ? configWithToken(env, (line) => process.stdout.write(`${line}\n`))
    : loadConfig(env);
  const bridge = await createBridge(config, {}, roles);
  const context = {
    store: bridge.store.kind,
    genesys: config.genesys.enabled,
    worker: roles.worker,
  };
  if (roles.web) {
    const port = await bridge.listen();
    bridge.logger.info(
      { ...context, port },
      `continuity-bridge listening on http://${config.http.host}:${port}`,
    );
  } else {
    bridge.logger.info(context, 'continuity-bridge worker started');
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    bridge.logger.info({ signal }, 'shutting down: draining requests and jobs');
    await bridge.close();
    bridge.logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

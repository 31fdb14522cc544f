import { createServer, type RequestListener, type Server } from 'node:http';
import type { Express } from 'express';

export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Listens on a free loopback port, with the same listener `serve` uses (the
 * lookup shortcut included) when the app has one; `close()` ends keep-alive
 * sockets too.
 */
export async function listen(
  app: Express | (Express & { listener: RequestListener }),
): Promise<RunningApp> {
  const server: Server = createServer('listener' in app ? app.listener : app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

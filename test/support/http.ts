import type { Server } from 'node:http';
import type { Express } from 'express';

export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port; `close()` ends keep-alive sockets too. */
export async function listen(app: Express): Promise<RunningApp> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
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

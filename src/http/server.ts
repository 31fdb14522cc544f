import { createServer, type RequestListener, type Server } from 'node:http';
import type { Express } from 'express';

/** How long in-flight requests get to finish on shutdown before sockets are cut. */
const SHUTDOWN_GRACE_MS = 10_000;
const IDLE_SOCKET_PAUSE_MS = 1000;

/** Listens with `listener`; `app` is the express app whose locals carry the drain flag. */
export function startServer(
  listener: RequestListener,
  app: Express,
  port: number,
  host: string,
): Promise<{ server: Server; app: Express; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer(listener);
    server.keepAliveTimeout = 65_000;
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ server, app, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/**
 * Stops accepting connections and lets in-flight requests finish. Keep-alive
 * sockets that turn idle are closed as they do (callers keep them open for a
 * minute otherwise); whatever is still open after the grace period is cut.
 */
export async function drainServer(
  app: Express,
  server: Server,
  graceMs = SHUTDOWN_GRACE_MS,
): Promise<void> {
  // First, for a short pause, keep serving but answer `Connection: close` (and
  // 503 on /readyz), so callers and load balancers move away before any socket
  // is closed under a request being sent on it. Then stop listening; sockets
  // still open after the grace period are cut.
  app.locals.draining = true;
  await new Promise((resolve) => setTimeout(resolve, IDLE_SOCKET_PAUSE_MS));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweeper);
    clearTimeout(deadline);
  }
}

/** One HTTP listener of the process, and its drain on shutdown. */
export class HttpServer {
  #running: { server: Server; app: Express } | null = null;

  /** Listens (port 0 = any free port) and resolves with the bound port. */
  async listen(listener: RequestListener, app: Express, port: number, host: string) {
    const bound = await startServer(listener, app, port, host);
    this.#running = { server: bound.server, app: bound.app };
    return bound.port;
  }

  /** Drains; sockets still open after `graceMs` are cut. */
  async close(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    if (this.#running) await drainServer(this.#running.app, this.#running.server, graceMs);
    this.#running = null;
  }
}

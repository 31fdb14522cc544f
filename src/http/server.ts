import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Express } from 'express';

/** HTTPS on the API port: the certificate chain and key, PEM files. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

const TLS_WATCH_INTERVAL_MS = 5000;

/**
 * A client has this long to send its headers, and its whole request: a body
 * declared and never sent is answered 408 and its socket closed, instead of
 * being waited on for Node's default 5 minutes. Checked every second.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 15_000;
const SERVER_OPTIONS = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: 1000,
};

function readTls(tls: TlsFiles): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) };
}

/** How long in-flight requests get to finish on shutdown before sockets are cut. */
const SHUTDOWN_GRACE_MS = 10_000;
const IDLE_SOCKET_PAUSE_MS = 1000;

/** Listens with `listener`; `app` is the express app whose locals carry the drain flag. */
export function startServer(
  listener: RequestListener,
  app: Express,
  port: number,
  host: string,
  tls?: TlsFiles,
): Promise<{ server: Server; app: Express; port: number }> {
  return new Promise((resolve, reject) => {
    const server: Server = tls
      ? (createHttpsServer({ ...SERVER_OPTIONS, ...readTls(tls) }, listener) as unknown as Server)
      : createServer(SERVER_OPTIONS, listener);
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

/** One HTTP(S) listener of the process, its certificate reloads, and its drain on shutdown. */
export class HttpServer {
  #running: { server: Server; app: Express; tls?: TlsFiles } | null = null;
  readonly #onTlsReload: (error?: Error) => void;

  /** `onTlsReload` hears of every certificate reload: no argument when it worked. */
  constructor(onTlsReload: (error?: Error) => void = () => {}) {
    this.#onTlsReload = onTlsReload;
  }

  /**
   * Listens (port 0 = any free port) and resolves with the bound port. With
   * `tls`, serves HTTPS and reloads the certificate when its files change
   * (a renewal) or on `reloadTls()` (SIGHUP).
   */
  async listen(
    listener: RequestListener,
    app: Express,
    port: number,
    host: string,
    tls?: TlsFiles,
  ): Promise<number> {
    const bound = await startServer(listener, app, port, host, tls);
    this.#running = { server: bound.server, app: bound.app, tls };
    if (tls) {
      const reload = () => this.reloadTls();
      // Polling (not fs.watch) survives the rename or symlink swap renewals use.
      watchFile(tls.certFile, { interval: TLS_WATCH_INTERVAL_MS, persistent: false }, reload);
      watchFile(tls.keyFile, { interval: TLS_WATCH_INTERVAL_MS, persistent: false }, reload);
    }
    return bound.port;
  }

  /**
   * Reads the certificate and key again; new connections use them, open ones
   * keep theirs. A file that cannot be read or a key that does not match keeps
   * the current certificate in place (and is reported), never a broken one.
   */
  reloadTls(): void {
    const running = this.#running;
    if (!running?.tls) return;
    try {
      (running.server as unknown as HttpsServer).setSecureContext(readTls(running.tls));
      this.#onTlsReload();
    } catch (error) {
      this.#onTlsReload(error as Error);
    }
  }

  /** Drains; sockets still open after `graceMs` are cut. */
  async close(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    if (this.#running?.tls) {
      unwatchFile(this.#running.tls.certFile);
      unwatchFile(this.#running.tls.keyFile);
    }
    if (this.#running) await drainServer(this.#running.app, this.#running.server, graceMs);
    this.#running = null;
  }
}

/**
 * A loopback page server for the card: the bundle, SLDS from
 * @salesforce-ux/design-system (styles and icon sprites under /assets), and
 * one page per state whose wire answers are inlined as window.__CARD_STATE__.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CardState } from './card-states.ts';

const SLDS_ASSETS = fileURLToPath(
  new URL('../../node_modules/@salesforce-ux/design-system/assets/', import.meta.url),
);
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

const TYPES: Record<string, string> = {
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.js': 'text/javascript',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
};

// `</` closes the script element early; escape it inside the inlined JSON.
const inlineJson = (value: unknown) => JSON.stringify(value).replaceAll('</', '<\\/');

function page(state: CardState, width: number): string {
  const cardState = { props: state.props ?? {}, record: state.record, history: state.history };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Continuity owner: ${state.name}</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  html, body { margin: 0; background: #f3f3f3; }
  /* A record page's side column: the card gets exactly this width. */
  #card { width: ${width}px; box-sizing: border-box; }
</style>
</head>
<body>
<main><div id="card"></div></main>
<script>window.__CARD_STATE__ = ${inlineJson(cardState)};</script>
<script src="/card.js"></script>
</body>
</html>`;
}

export interface CardServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startCardServer(
  bundle: string,
  states: readonly CardState[],
): Promise<CardServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/card.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      return;
    }
    if (url.pathname === '/axe.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(AXE));
      return;
    }
    const match = /^\/state\/([\w-]+)$/.exec(url.pathname);
    if (match) {
      const state = states.find((s) => s.name === match[1]);
      const width = Number(url.searchParams.get('width') ?? 400);
      if (!state || !Number.isInteger(width)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(state, width));
      return;
    }
    if (url.pathname.startsWith('/assets/')) {
      const relative = normalize(decodeURIComponent(url.pathname.slice('/assets/'.length)));
      if (relative.startsWith('..')) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = readFileSync(join(SLDS_ASSETS, relative));
        res.writeHead(200, {
          'content-type': TYPES[extname(relative)] ?? 'application/octet-stream',
        });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

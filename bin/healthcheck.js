#!/usr/bin/env node
// The container's HEALTHCHECK: GET /healthz on this process's own port, over
// HTTPS when TLS_CERT_FILE is set (the certificate is for the public name, so
// it is not verified against 127.0.0.1). Exit 0 healthy, 1 not. Plain
// JavaScript with no dependencies, so it costs a few milliseconds.
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';

const tls = Boolean(process.env.TLS_CERT_FILE);
const port = Number(process.env.PORT || 8080);
const get = tls ? httpsGet : httpGet;
const request = get(
  { host: '127.0.0.1', port, path: '/healthz', timeout: 2000, rejectUnauthorized: false },
  (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  },
);
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', () => process.exit(1));

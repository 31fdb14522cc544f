# Continuity Bridge: one image for both roles (`serve`, `serve --no-worker`,
# `worker`). Build: docker build -t continuity-bridge .
# Run:   docker run -p 8080:8080 -e REDIS_URL=redis://redis:6379 -e API_TOKENS=… continuity-bridge
# test/integration/dockerfile.int.test.ts performs these steps (context,
# production install, start, health check) without a Docker engine.
FROM node:24-slim

ENV NODE_ENV=production
WORKDIR /app

# Production dependencies only; Node 24 runs the TypeScript sources directly.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY src ./src
COPY genesys ./genesys

# The embedded store (used without Salesforce credentials) lives on a volume
# the non-root user can write.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
ENV PORT=8080 HOST=0.0.0.0 SQLITE_PATH=/data/continuity.sqlite

USER node
EXPOSE 8080

HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "bin/healthcheck.js"]

# Exec form: node is PID 1 and receives SIGTERM itself; the bridge handles it
# (drains within SHUTDOWN_TIMEOUT_MS, default 10 s, below Docker's own 10 s:
# run with --stop-timeout 15 or set stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["node", "bin/continuity-bridge.js", "serve"]

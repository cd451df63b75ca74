# syntax=docker/dockerfile:1
#
# Crux as a container image. Three stages:
#   build  – every dependency, then `npm run build` (tsc) into dist/
#   deps   – the production dependencies only (`npm ci --omit=dev`), compiled for the runtime image
#   (final) – node, those dependencies, dist/ and data/; no compiler, no dev dependencies, not root
#
# .ci/docker-steps.sh runs the same commands outside Docker (no image can be built on the project's
# machines); keep the two in step.
#
# Node 20 is the version the test suite runs on. Moving to a newer LTS means changing NODE_VERSION here and
# running the suite on that version first.
ARG NODE_VERSION=20

# The SQLite driver (sqlite3, under @keyv/sqlite) is native: it downloads a prebuilt binary when it can and
# otherwise compiles, which needs python3, make and g++. The node image ships its own headers in
# /usr/local/include/node, so node-gyp needs no download for them.
FROM node:${NODE_VERSION}-bookworm-slim AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app

FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build

FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    KEYV_URL=sqlite:///data/state.sqlite
WORKDIR /app
# Everything under /app belongs to root, so the bot (running as `node`) cannot change its own code.
# package.json is needed at run time too: it makes dist/ ES modules ("type": "module").
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The corpus: found by walking up from dist/src/core/corpus to /app/data.
COPY data ./data
# State (the SQLite file, with its -wal and -shm files) lives on a volume, the one place the bot can write.
# An env file with an empty `KEYV_URL=` (as in .env.example) replaces the ENV above with nothing, and the
# bot then uses its default, .crux/state.sqlite: the link sends that to the volume as well.
RUN mkdir /data && chown node:node /data && ln -s /data /app/.crux
VOLUME /data
USER node
# Probes /healthz on loopback when HEALTH_PORT is set; without it there is nothing to ask, so it passes.
# `node` rather than curl: the slim image has no curl. 503 (degraded or down) counts as unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD [ -z "$HEALTH_PORT" ] || node -e "fetch('http://127.0.0.1:' + process.env.HEALTH_PORT + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# The bot handles SIGTERM itself (it stops the scheduler, disconnects and closes the store), so it can run as
# PID 1; `docker stop` gives it 10 s by default.
CMD ["node", "dist/src/index.js"]

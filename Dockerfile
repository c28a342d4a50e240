# syntax=docker/dockerfile:1
# Catalyst's image. Its default command is `catalyst worker` with the workflow bundle built here;
# docker-compose.yml also runs `catalyst db migrate` and the CLI from it:
#   docker build -t catalyst .
#   docker run --rm --env-file .env catalyst                 # a worker
#   docker run --rm --env-file .env catalyst day status      # any other command
# Three stages: the production dependencies, the workflow bundle (built once, not at every worker
# start), and the runtime (the TypeScript sources run through tsx, as `npx catalyst` does).

ARG NODE_VERSION=20.19

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The optional TA-Lib binding (a test oracle) needs a compiler this image lacks: npm skips it.
RUN npm ci --omit=dev --no-fund --no-audit && npm cache clean --force

FROM deps AS bundle
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
RUN node --import tsx scripts/bundleWorkflows.ts /app/dist/workflow-bundle.js

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    CATALYST_HOME=/var/lib/catalyst
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY config ./config
COPY drizzle ./drizzle
COPY data ./data
COPY --from=bundle /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
# The alert outbox (and anything else of $CATALYST_HOME) lives here: mount a volume to keep it.
RUN mkdir -p /var/lib/catalyst && chown node:node /var/lib/catalyst
USER node
# `docker stop` sends SIGTERM: the worker stops polling, gives running activities 10 s, and exits 0;
# what it leaves is retried by another worker (compose's stop_grace_period is longer than that).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/catalyst.mjs"]
CMD ["worker", "--workflow-bundle", "dist/workflow-bundle.js"]

# One image for api, worker, router-sync and migrate; the compose file picks the command.
FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /berth
COPY package.json package-lock.json .npmrc ./
COPY packages/shared/package.json packages/shared/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/router-sync/package.json apps/router-sync/
COPY apps/cli/package.json apps/cli/
COPY migrations/package.json migrations/
# tsx runs the TypeScript sources directly (same code path as `npm run up`).
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY apps apps
COPY migrations migrations
ENV NODE_ENV=production
USER node
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]

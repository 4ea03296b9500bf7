# One image for api, worker, router-sync and migrate; the compose file picks the command.
# Built in stages: the build stage compiles (npm run build, with the dev dependencies), the
# last one holds the compiled JavaScript and the production dependencies only: no TypeScript
# sources, no tsx, the same files `npm run up` runs.
# The workspaces' manifests, listed once: both stages install from them.
FROM node:24-bookworm-slim AS manifests
WORKDIR /berth
COPY package.json package-lock.json .npmrc ./
COPY packages/shared/package.json packages/shared/node-runtimes.json packages/shared/
COPY packages/client/package.json packages/client/
COPY packages/testing/package.json packages/testing/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/router-sync/package.json apps/router-sync/
COPY apps/supervisor/package.json apps/supervisor/
COPY apps/cli/package.json apps/cli/
COPY apps/dashboard/package.json apps/dashboard/
COPY migrations/package.json migrations/

FROM node:24-bookworm-slim AS build
WORKDIR /berth
COPY --from=manifests /berth ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json turbo.json ./
COPY scripts/build-package.mjs scripts/
COPY packages packages
COPY apps apps
COPY migrations migrations
# Each workspace compiles on its own (no workspace needs another one's output), so no turbo here.
RUN npm run build --workspaces --if-present

FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /berth
COPY --from=manifests /berth ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /berth/packages/shared/dist packages/shared/dist
COPY --from=build /berth/packages/client/dist packages/client/dist
COPY --from=build /berth/apps/api/dist apps/api/dist
COPY --from=build /berth/apps/worker/dist apps/worker/dist
COPY --from=build /berth/apps/router-sync/dist apps/router-sync/dist
COPY --from=build /berth/apps/cli/dist apps/cli/dist
# The API serves the dashboard's built page and finds it through dist-dir.js.
COPY --from=build /berth/apps/dashboard/dist apps/dashboard/dist
COPY --from=build /berth/apps/dashboard/dist-dir.js apps/dashboard/
COPY --from=build /berth/migrations/dist migrations/dist
ENV NODE_ENV=production
USER node
CMD ["node", "apps/api/dist/main.js"]

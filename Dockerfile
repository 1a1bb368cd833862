# syntax=docker/dockerfile:1
# The ARC Runner Portal: Next.js standalone server on Node 24 LTS, as a non-root user, on a
# read-only root filesystem (Kubernetes mounts emptyDirs at /tmp and /app/.next/cache).
#   docker build -t ghcr.io/ossci/arc-runner-portal:<version> .
# The image runs two commands:
#   node server.js         the portal (the default)
#   node migrate.mjs       one-shot migrations, before each rollout (the chart's hook Job, deploy/chart)
#   node rotate-encryption-key.mjs   one-shot key rotation (docs/operations.md)
# `npm test -- image` builds this file with podman and runs the image (scripts/image/).

ARG NODE_IMAGE=node:24-bookworm-slim

# --- dependencies: only the lockfile decides what is installed ---
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# A build behind a TLS-inspecting proxy passes its CA bundle as the secret "ca"
# (`--secret id=ca,src=/etc/ssl/certs/ca-certificates.crt`); elsewhere there is none.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi; \
    npm ci --no-audit --no-fund --loglevel=error

# --- build: Prisma client, Next standalone output, bundled one-shots ---
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /src/node_modules ./node_modules
COPY . .
# `prisma generate` never runs the schema engine but insists one exists (as in scripts/bootstrap.mjs).
RUN PRISMA_SCHEMA_ENGINE_BINARY="$(command -v node)" node_modules/.bin/prisma generate \
 && node_modules/.bin/next build \
 && node scripts/bundle-one-shots.mjs /src/one-shots \
 && mkdir -p public

# --- runtime: no sources, no dev dependencies, no package managers ---
FROM ${NODE_IMAGE} AS runtime
# The portal never installs anything at run time; npm and corepack only add attack surface.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
WORKDIR /app
# Owned by root and not writable by the portal's user: only the mounted emptyDirs are.
COPY --from=build /src/.next/standalone ./
COPY --from=build /src/.next/static ./.next/static
COPY --from=build /src/public ./public
COPY --from=build /src/prisma/migrations ./prisma/migrations
COPY --from=build /src/one-shots/ ./
# The base image's "node" user; numeric so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
CMD ["node", "server.js"]

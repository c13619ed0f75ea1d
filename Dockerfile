# syntax=docker/dockerfile:1
# Headless agentwatch-sync (the CLI only; the tray app is not in this image).
#   docker build -t agentwatch-sync:0.1.0 .
#   docker run -v aw-state:/var/lib/agentwatch-sync -v "$PWD/token:/run/secrets/openclaw-token:ro" \
#     agentwatch-sync:0.1.0 sync --openclaw-url http://gateway:18789 --token-file /run/secrets/openclaw-token
#
# Base image: Node 22 LTS on Debian bookworm-slim, pinned by exact version. For reproducible builds also pin the
# digest, e.g. --build-arg NODE_IMAGE=node:22.12.0-bookworm-slim@sha256:<digest from
# `docker buildx imagetools inspect node:22.12.0-bookworm-slim`>. Renovate/Dependabot can keep both current.
ARG NODE_IMAGE=node:22.12.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Electron and other dev tools are build-time packages of the desktop app; the CLI bundle needs none of their
# install scripts (esbuild and resvg ship their binaries as optional dependencies), so skip the downloads.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    AGENTWATCH_SYNC_STATE_DIR=/var/lib/agentwatch-sync \
    AGENTWATCH_SYNC_METRICS_PORT=9464 \
    AGENTWATCH_SYNC_METRICS_HOST=0.0.0.0
WORKDIR /app
# The CLI is one self-contained esbuild bundle; package.json is read for the version only.
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/dist/cli/main.js ./dist/cli/main.js
# uid/gid 1000 is the base image's `node` user; numeric so Kubernetes runAsNonRoot can verify it.
RUN mkdir -p /var/lib/agentwatch-sync && chown 1000:1000 /var/lib/agentwatch-sync
USER 1000:1000
VOLUME ["/var/lib/agentwatch-sync"]
EXPOSE 9464
# No curl in slim images: Node's own fetch asks /healthz (200 ok, 503 degraded).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.AGENTWATCH_SYNC_METRICS_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["sync"]

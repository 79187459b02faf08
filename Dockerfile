# The headless Switchboard engine as a small non-root image, for the team server (deploy/compose.yaml).
#   docker build -t switchboard .
# Build stage: compilers for better-sqlite3 (built from source), every dependency, the engine and
# the dashboard; then the dev dependencies are dropped so only what `serve` loads is copied on.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Electron is a dev dependency of the desktop app: the image never runs it.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild better-sqlite3 esbuild
COPY . .
RUN node scripts/build.mjs serve --quiet \
 && npm prune --omit=dev --ignore-scripts

# Runtime stage: Node, the built engine and dashboard, production dependencies; nothing else.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    SWITCHBOARD_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/dist/proxy ./dist/proxy
# glibc's allocator controls, built with the engine (scripts/build-native.mjs; Node's headers and g++ are in the build stage).
COPY --from=build --chown=root:root /app/dist/native ./dist/native
COPY --from=build --chown=root:root /app/dist/renderer ./dist/renderer
# The app files stay root's (read-only to the server); only the data folder is the server's own.
# So `serve`'s V8 code cache (bin/load-engine.js) is written here, once, by starting and stopping
# serve as the entry point does: without it every container start compiles the whole engine.
COPY --from=build /app/scripts/warm-code-cache.mjs /tmp/warm-code-cache.mjs
RUN node /tmp/warm-code-cache.mjs /app \
 && rm /tmp/warm-code-cache.mjs \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 11434
# /health answers while the process serves; /ready also checks the store and shared server.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:11434/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--max-semi-space-size=4", "--heap-growing-percent=20", "bin/switchboard.js", "serve"]
# Any address is allowed only in team mode: give SWITCHBOARD_STORE=postgres://… and SWITCHBOARD_SECRET_KEY.
CMD ["--host", "0.0.0.0", "--port", "11434"]

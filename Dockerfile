# One image for every process of the service; PROCESS_ROLES picks what a container runs
# (api, projections, transcoder). Debian with the distribution's ffmpeg, Node for npm, and Deno
# from the project's own npm dependencies (the same version as development and CI).
FROM node:22-bookworm-slim

RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg ca-certificates tini \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
# npm runs the postinstall patch of a dependency (ops/patches/apply.mjs): copy it in first.
COPY ops/patches ops/patches
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .

ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/var/lib/streaming \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe \
    PROCESS_ROLES=api,projections,transcoder
RUN mkdir -p /var/lib/streaming && chown node:node /var/lib/streaming
USER node
EXPOSE 8080

# tini forwards SIGTERM, so `docker stop` gives the service its graceful shutdown.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node_modules/.bin/deno", "run", "-P=server", "main.ts"]

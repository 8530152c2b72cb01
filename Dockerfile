# Production image of the Node services (gateway, routing, platform; compose picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY gateway/package.json gateway/
COPY firmware-sim/package.json firmware-sim/
COPY routing/package.json routing/
COPY platform/package.json platform/
COPY dashboard/package.json dashboard/
RUN npm ci --omit=dev
COPY gateway gateway
COPY firmware-sim firmware-sim
COPY routing routing
COPY platform platform
USER node
EXPOSE 1883 8080 5000 8090
# A larger young generation: ingest allocates short-lived objects per message (see README, Performance).
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "gateway/src/main.ts"]

# Production image of the Node services (gateway today; platform and routing join it).
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
USER node
EXPOSE 1883 8080
CMD ["node", "--import", "tsx", "gateway/src/main.ts"]

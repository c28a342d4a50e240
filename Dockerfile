FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-fund --no-audit --omit=dev
COPY . .
ENTRYPOINT []
CMD ["node", "bin/catalyst.mjs", "up"]

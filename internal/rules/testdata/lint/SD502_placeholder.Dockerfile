FROM node:22-slim AS builder
WORKDIR /app
# A placeholder URL for the framework's build: no real password.
ENV DATABASE_URL="postgresql://user:pass@localhost:5432/dummy"
RUN echo build

FROM debian:bookworm-slim
# Chromium's public API keys, as distributions ship them.
RUN mkdir -p /etc/chromium.d \
 && echo 'export GOOGLE_API_KEY="AIzaSyA0123456789abcdefghijklmnopqrstuvw"' > /etc/chromium.d/googleapikeys
COPY --from=builder /app /app
USER nobody
CMD ["true"]

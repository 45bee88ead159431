FROM node:22-slim AS build
WORKDIR /src
# A key copied into a builder stage is still a key in a layer.
# want "SD502: COPY puts id_rsa into the image, where anyone who pulls it can read it"
COPY id_rsa /root/.ssh/id_rsa
# want `SD502: COPY puts \.npmrc into the image, where anyone who pulls it can read it`
COPY .npmrc ./
# Secret-looking values under names DL3064 does not catch.
# want "SD502: ENV REGISTRY_MIRROR holds a URL with a password"
ENV REGISTRY_MIRROR=https://deploy:s3cr3tpass@registry.example.com
# want "SD502: ARG BUCKET_ID holds an AWS access key ID"
ARG BUCKET_ID=AKIAIOSFODNN7EXAMPLE
# want "SD502: RUN contains a GitHub token"
RUN git clone https://x-access:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/lib.git /lib
# want `SD502: ONBUILD COPY puts deploy\.key into the image, where anyone who pulls it can read it`
ONBUILD COPY deploy.key /etc/ssl/private/
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc echo using the secret mount

FROM node:22-slim
COPY --from=build /lib /lib
USER node
CMD ["true"]

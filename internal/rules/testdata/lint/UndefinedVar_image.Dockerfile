ARG NODE_MAJOR=22
ARG BUILD_ID=local
FROM node:${NODE_MAJOR}-slim AS deps
# node's ENV is unknown to strata (it cannot pull the image): only names
# no image defines, or that this file defines elsewhere, are reported.
# want `UndefinedVar: Usage of undefined variable '\$BUILD_ID': ARG BUILD_ID is declared before FROM`
ENV BUILD=$BUILD_ID
# want `UndefinedVar: '\$TARGETARCH'.*add .ARG TARGETARCH. to the stage`
ENV ARCH=$TARGETARCH
# The shell sets UID; ENV reads no shell.
# want `UndefinedVar: Usage of undefined variable '\$UID'`
ENV RUN_AS=${UID:-1000}
# want `UndefinedVar: Usage of undefined variable '\$1'`
LABEL first="$1"
# An ARG default cannot read the ARG itself.
# want `UndefinedVar: Usage of undefined variable '\$CHANNEL'`
ARG CHANNEL=${CHANNEL}
ARG NPM_FLAGS=--omit=dev
ENV NODE_ENV=production

FROM node:22-slim
# Defined in another stage: not visible here.
# want `UndefinedVar: Usage of undefined variable '\$NPM_FLAGS'`
ENV FLAGS=$NPM_FLAGS
# A typo of a variable the stage has.
ENV APP_ROOT=/srv
# want `UndefinedVar: Usage of undefined variable '\$APP_ROTO' \(did you mean \$APP_ROOT\?\)`
WORKDIR $APP_ROTO
USER node
CMD ["true"]

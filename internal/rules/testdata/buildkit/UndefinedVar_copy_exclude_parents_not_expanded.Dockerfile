# syntax=docker/dockerfile:1.14-labs
FROM alpine:3.21
COPY --exclude=$EXCLUDED_PATTERN . /src/
COPY --parents ./a/$PARENT_PART /dst/

ARG TAG
ARG REPO=
# want "InvalidDefaultArgInFrom"
FROM busybox:${TAG} AS one
# want "InvalidDefaultArgInFrom"
FROM ${REPO}

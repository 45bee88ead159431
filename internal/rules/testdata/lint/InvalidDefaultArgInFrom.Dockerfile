ARG TAG
ARG REPO=
# want `InvalidDefaultArgInFrom: Default value for ARG busybox:\$\{TAG\} results in empty or invalid base image name`
FROM busybox:${TAG} AS one
# want `InvalidDefaultArgInFrom: Default value for ARG \$\{REPO\} results in empty or invalid base image name`
FROM ${REPO}

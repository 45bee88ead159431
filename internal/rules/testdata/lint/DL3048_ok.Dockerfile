FROM alpine:3.20
ARG LABEL_NAME=com.example.dynamic
LABEL org.opencontainers.image.title="app" com.example.release-2="yes"
LABEL "org.opencontainers.image.authors"="team@example.com"
LABEL maintainer=team
LABEL ${LABEL_NAME}=1
USER nobody
CMD ["true"]

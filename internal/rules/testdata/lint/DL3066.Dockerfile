# enable: DL3066
FROM alpine:3.20 AS build
USER builder

FROM alpine:3.20
USER 0
RUN echo setup
# want "DL3066: USER app:app is a name"
USER app:app
CMD ["true"]

FROM alpine:3.20
# want "DL3043"
ONBUILD FROM alpine:3.20
# want "DL3043"
ONBUILD MAINTAINER someone
# want "DL3043"
ONBUILD ONBUILD RUN echo nested
USER nobody
CMD ["true"]

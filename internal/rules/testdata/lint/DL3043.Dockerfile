FROM alpine:3.20
# want "DL3043: FROM cannot be used as an ONBUILD trigger"
ONBUILD FROM alpine:3.20
# want "DL3043: MAINTAINER cannot be used as an ONBUILD trigger"
ONBUILD MAINTAINER someone
# want "DL3043: ONBUILD cannot be used as an ONBUILD trigger"
ONBUILD ONBUILD RUN echo nested
USER nobody
CMD ["true"]

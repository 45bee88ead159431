FROM alpine:3.20
# want "DL3048"
LABEL Maintainer="team@example.com"
# want "DL3048"
LABEL com.docker.thing=1 valid.key=ok
# want "DL3048"
LABEL "org.example..double"="x"
# want "DL3048"
LABEL 1version=2
# want "DL3048"
LABEL under_score=3
# want "DL3048"
ONBUILD LABEL trailing-=4
USER nobody
CMD ["true"]

FROM alpine:3.20
# want `DL3048: label key "Maintainer" is not valid`
LABEL Maintainer="team@example.com"
# want `DL3048: label key "com\.docker\.thing" is not valid`
LABEL com.docker.thing=1 valid.key=ok
# want `DL3048: label key "org\.example\.\.double" is not valid`
LABEL "org.example..double"="x"
# want `DL3048: label key "1version" is not valid`
LABEL 1version=2
# want `DL3048: label key "under_score" is not valid`
LABEL under_score=3
# want `DL3048: label key "trailing-" is not valid`
ONBUILD LABEL trailing-=4
USER nobody
CMD ["true"]

FROM alpine:3.20
# The build dependencies are held in a variable and removed with it.
RUN buildDeps='gcc=13.2.1_git20240309-r0 make=4.4.1-r2 musl-dev=1.2.5-r0' \
 && apk add --no-cache $buildDeps \
 && make -C /usr/src/tool install \
 && apk del $buildDeps
USER nobody
ENTRYPOINT ["tool"]

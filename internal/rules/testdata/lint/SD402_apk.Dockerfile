FROM python:3.12-alpine
# want `SD404: pip install \(with build tools installed\) compiles in the final image \(a single-stage`
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 musl-dev=1.2.5-r0 \
 && pip install --no-cache-dir psutil==5.9.8
# The build dependencies were committed in the layer above.
# want `SD402: RUN removes \.build-deps`
RUN apk del .build-deps
USER nobody
CMD ["true"]

# spec: DL3018 pinned packages, --virtual name, --repository/-X values, and .apk files are fine
FROM alpine:3.20
RUN apk add --no-cache flex=2.6.4-r1 \
 && pip install --no-cache-dir -r requirements.txt
WORKDIR /
RUN apk add --no-cache \
flex=2.6.4-r1 \
libffi=3.2.1-r3 \
python2=2.7.13-r1 \
libbz2=1.0.6-r5
WORKDIR /
RUN apk add --no-cache \
--virtual build-dependencies \
python-dev=1.1.1 build-base=2.2.2 \
&& pip install --no-cache-dir -r requirements.txt \
&& python setup.py install \
&& apk del build-dependencies
WORKDIR /
RUN apk add --no-cache \
--repository https://nl.alpinelinux.org/alpine/edge/testing \
flow=0.78.0-r0
WORKDIR /
RUN apk add --no-cache \
--repository=https://nl.alpinelinux.org/alpine/edge/testing \
flow=0.78.0-r0
WORKDIR /
RUN apk add --no-cache \
-X https://nl.alpinelinux.org/alpine/edge/testing \
flow=0.78.0-r0
WORKDIR /
RUN apk add --no-cache mypackage-1.1.1.apk
ONBUILD RUN apk add --no-cache flex=2.6.4-r1
USER nobody
CMD ["true"]

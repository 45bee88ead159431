# spec: DL3008 pinned forms: name=ver, globbed versions, epoch versions, a local .deb, -t/--target-release value skipped
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get -yqq --no-install-recommends install nodejs=0.10 \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install --no-install-recommends -y \
python-demjson=2.2.2* \
libwget0=1.16.1* \
libgit2=1:2.5.0* \
ruby=1:2.1.* && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends python=1.2.2 && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends ./wkhtmltox_0.12.5-1.bionic_amd64.deb && rm -rf /var/lib/apt/lists/*
RUN set -e &&\
 echo "deb http://http.debian.net/debian jessie-backports main" > /etc/apt/sources.list.d/jessie-backports.list &&\
 apt-get update &&\
 apt-get install -y --no-install-recommends -t jessie-backports openjdk-8-jdk=8u131-b11-1~bpo8+1 &&\
 rm -rf /var/lib/apt/lists/*
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends python=1.2.2 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]

# A tool from an Ubuntu PPA: Debian and Alpine have no equivalent.
FROM ubuntu:22.04
RUN apt-get update \
 && apt-get install -y --no-install-recommends software-properties-common=0.99.22.9 \
 && add-apt-repository ppa:yubico/stable \
 && apt-get update \
 && apt-get install -y --no-install-recommends yubikey-manager=5.1.1-0ubuntu1 python3=3.10.6-1~22.04 \
 && rm -rf /var/lib/apt/lists/*
USER nobody
ENTRYPOINT ["ykman"]

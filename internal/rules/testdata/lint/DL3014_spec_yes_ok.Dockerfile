# spec: DL3014 -y, -yq, --yes, --assume-yes anywhere, and quiet level 2 (-qq, -q -q, -q=2, --quiet --quiet)
FROM debian:bookworm-slim
RUN apt-get install -yq --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN apt-get install -y --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN apt-get -y install --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN apt-get --yes install --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN apt-get --assume-yes install --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN apt-get install -qq --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN apt-get install -q -q --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN apt-get install -q=2 --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
WORKDIR /
RUN apt-get install --quiet --quiet --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
ONBUILD RUN apt-get install --quiet --quiet --no-install-recommends libxml2=2.9.14 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["true"]

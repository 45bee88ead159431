# spec: DL3045 absolute (also Windows, quoted) and variable destinations; WORKDIR set in this stage or in a stage it is built FROM (deep); ONBUILD WORKDIR then ONBUILD COPY
FROM debian:bookworm-slim AS base1
COPY app.sh /usr/local/bin/data.sh
COPY app.sh "/usr/local/bin/data.sh"
COPY app.sh c:\system32\data.sh
COPY app.sh "c:\system32\data.sh"
COPY app.sh c:/system32/data.sh
# want "UndefinedVar"
COPY src.sh ${SRC_BASE_ENV}
# want "UndefinedVar"
COPY src.sh $SRC_BASE_ENV
# want "UndefinedVar"
COPY src.sh "${SRC_BASE_ENV}"
# want "UndefinedVar"
COPY src.sh "$SRC_BASE_ENV"
WORKDIR /usr
COPY app.sh data.sh
FROM debian:bookworm-slim AS between
RUN foo
FROM base1 AS base2
RUN foo
FROM base2 AS deep
COPY foo bar
FROM debian:bookworm-slim
ONBUILD WORKDIR /usr/local/lib
ONBUILD COPY foo bar
USER nobody
CMD ["true"]

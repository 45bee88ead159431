# spec: DL3044 reference from a later ENV, partial name matches, literal text, ARG/ENV defined before, own right-hand side
FROM debian:bookworm-slim
ENV BLA="data"
ENV DEST="${BLA}/data"
# want "UndefinedVar"
ENV BLX="data" DEST1="${FOOBLX}/data"
# want "UndefinedVar"
ENV BLY="data" DEST2="${BLYFOO}/data"
# want "UndefinedVar"
ENV BLZ="data" DEST3="$FOOBLZ/data"
# want "UndefinedVar"
ENV BLW="data" DEST4="$BLWFOO/data"
# want "UndefinedVar"
ENV BLV="data" DEST5="BLV/$BLVFOO/BLV"
ARG ARGV
ENV ARGV=${ARGV}
# want "LegacyKeyValueFormat"
ENV ENVV data
ENV ENVV=${ENVV}
ENV PATH=/bla:${PATH}
ENV PATH=/data:${PATH}
USER nobody
CMD ["true"]

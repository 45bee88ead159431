# spec: DL3044 ENV referring to a variable set earlier in the same ENV ($X, ${X}, whole value or part, twice the same name)
FROM debian:bookworm-slim
# want "DL3044" "UndefinedVar"
ENV BLA="data" DEST="$BLA/$BLAFOO/data"
# want "DL3044"
ENV PATH=/bla:${PATH} PATH=/data:${PATH}
# want "DL3044" "UndefinedVar"
ENV BLB="data" BLUBC="${BLB}/data"
# want "DL3044" "UndefinedVar"
ENV BLC="data" BLUBD="$BLC/data"
# want "DL3044" "UndefinedVar"
ENV BLD="data" BLUBE="$BLD"
# want "DL3044" "UndefinedVar"
ENV BLE="data" BLUBF="${BLE}"
USER nobody
CMD ["true"]

FROM golang:1.23 AS build
RUN go version > /out
# want "DL3022: COPY --from=buidl names no earlier stage"
COPY --from=buidl /out /a
# want "DL3022: COPY --from=5: there is no stage 5 before this one" "DL1000: invalid stage index 5 .*1 more error after it, on line 8"
COPY --from=5 /out /b
# want "DL3022: COPY --from=test refers to a stage defined later"
COPY --from=test /out /c

FROM alpine:3.20 AS test
# want "DL3022: COPY --from=nginx names no earlier stage"
COPY --from=nginx /etc/nginx/nginx.conf /d
USER nobody
CMD ["true"]

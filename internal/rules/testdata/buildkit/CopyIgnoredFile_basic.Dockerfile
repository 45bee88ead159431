FROM alpine:3.21
COPY secrets.txt /x
ADD build/out.bin /y
COPY kept.txt /z
COPY --from=alpine:3.21 /secrets.txt /w

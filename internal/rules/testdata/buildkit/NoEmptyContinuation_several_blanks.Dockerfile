FROM alpine:3.21
RUN set -e; \
    echo one; \

    echo two; \
    
    echo three; \
    echo four

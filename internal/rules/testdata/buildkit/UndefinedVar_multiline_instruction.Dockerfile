FROM alpine:3.21
ENV A=1 \
    B=$CONTINUED \
    C=3
LABEL one=1 \
      two=$LABEL_TWO

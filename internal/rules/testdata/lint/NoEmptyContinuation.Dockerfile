FROM alpine:3.20
# want "NoEmptyContinuation: Empty continuation lines"
ENV A=1 \

    B=2 \
  
    C=3

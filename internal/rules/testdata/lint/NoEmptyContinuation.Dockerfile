FROM alpine:3.20
# BuildKit reports the line that ends the continuation.
ENV A=1 \

    B=2 \
  
# want "NoEmptyContinuation: Empty continuation lines \\(line 4, 6\\)"
    C=3

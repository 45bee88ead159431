FROM alpine:3.21
# check=skip=NoEmptyContinuation
RUN echo a \

    && echo b

FROM alpine:3.21
RUN echo a \

    && echo b
ENV A=1 \

    B=2

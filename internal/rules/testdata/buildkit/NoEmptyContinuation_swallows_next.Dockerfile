FROM alpine:3.21
RUN echo a \

RUN echo b

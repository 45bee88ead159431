FROM alpine:3.21
RUN echo one \
# a comment line
    && echo two

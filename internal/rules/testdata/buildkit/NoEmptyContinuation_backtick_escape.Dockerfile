# escape=`
FROM alpine:3.21
RUN echo a `

    && echo b

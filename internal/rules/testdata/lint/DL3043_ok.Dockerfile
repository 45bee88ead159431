FROM alpine:3.20
WORKDIR /app
ONBUILD COPY . /app/
ONBUILD RUN echo built
USER nobody
CMD ["true"]

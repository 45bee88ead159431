# escape=\
# A Dockerfile with a bit of everything fixable.
from debian:bookworm AS Build

# Install tools (comment kept)
RUN apt-get update
RUN apt-get install -y gcc make

WORKDIR src
ADD main.c /src/
RUN make

FROM debian:bookworm-slim
ENV LANG C.UTF-8
COPY --from=Build /src/app /usr/local/bin/app
EXPOSE 8080/TCP
CMD app --serve

FROM debian:bookworm-slim
WORKDIR /usr/src
# A cd in a subshell does not move the RUN; a temporary directory cannot
# be named by WORKDIR.
RUN (cd /opt && touch built) && cd "$(mktemp -d)" && touch x && echo "cd /tmp" > /usr/src/notes
USER nobody
CMD ["true"]

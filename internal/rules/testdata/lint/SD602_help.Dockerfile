FROM alpine:3.20
COPY cfssl /usr/local/bin/cfssl
USER nobody
EXPOSE 8888
# The default command prints the help: it serves nothing to probe.
ENTRYPOINT ["cfssl"]
CMD ["--help"]

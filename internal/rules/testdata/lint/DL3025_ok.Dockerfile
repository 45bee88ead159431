FROM debian:bookworm-slim
ENTRYPOINT ["/entry.sh"]
CMD ["--serve"]
ONBUILD CMD ["run"]
USER nobody

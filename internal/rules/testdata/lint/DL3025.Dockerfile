FROM debian:bookworm-slim
USER nobody
# want "DL3025: CMD in shell form" "JSONArgsRecommended"
CMD python3 app.py
# want "DL3025: ENTRYPOINT in shell form" "JSONArgsRecommended"
ENTRYPOINT /entry.sh \
  --flag
FROM debian:bookworm-slim
USER nobody
ENTRYPOINT ["/entry.sh"]
CMD ["--serve"]

# spec: DL3022 COPY --from=0 when no stage has been defined yet (here: before the first FROM, where DL3061 and DL3045 also apply)
# want "DL3022" "DL3061" "DL3045"
COPY --from=0 bar .
FROM debian:bookworm-slim
USER nobody
CMD ["true"]

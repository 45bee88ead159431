# spec: DL3000 relative WORKDIR, bare, single-quoted and double-quoted
FROM debian:bookworm-slim
# want "DL3000" "WorkdirRelativePath"
WORKDIR relative/dir
# want "DL3000"
WORKDIR 'relative/dir'
# want "DL3000"
WORKDIR "relative/dir"
USER nobody
CMD ["true"]

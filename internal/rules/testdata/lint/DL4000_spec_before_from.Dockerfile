# spec: DL4000 MAINTAINER before the first FROM is still reported (as is DL3061)
# want "DL4000" "DL3061"
MAINTAINER Jane Doe
FROM debian:bookworm-slim
USER nobody
CMD ["true"]

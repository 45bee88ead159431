FROM debian:bookworm-slim
SHELL ["/bin/bash", "-c"]
# /bin/sh as the link target is fine.
RUN ln -s /bin/sh /usr/local/bin/posix-sh
USER nobody
CMD ["true"]

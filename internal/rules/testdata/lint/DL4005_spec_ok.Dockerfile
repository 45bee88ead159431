# spec: DL4005 unrelated symlinks; /bin/sh as an argument of another command
FROM debian:bookworm-slim
RUN ln -sf /bin/true /sbin/initctl
WORKDIR /
RUN ln -s foo bar && unrelated && make_with /bin/sh
USER nobody
CMD ["true"]

FROM debian:bookworm-slim
# want "DL4005: Use SHELL to change the default shell"
RUN ln -sf /bin/bash /bin/sh
WORKDIR /
# want "DL4005: ONBUILD Use SHELL to change the default shell"
ONBUILD RUN ln -s -f bash /bin/sh
USER nobody
CMD ["true"]

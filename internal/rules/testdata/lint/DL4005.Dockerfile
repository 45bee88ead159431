FROM debian:bookworm-slim
# want "DL4005"
RUN ln -sf /bin/bash /bin/sh
WORKDIR /
# want "DL4005"
ONBUILD RUN ln -s -f bash /bin/sh
USER nobody
CMD ["true"]

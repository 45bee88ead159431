# spec: DL4005 ln pointing /bin/sh elsewhere (also ONBUILD)
FROM debian:bookworm-slim
# want "DL4005"
RUN ln -sfv /bin/bash /bin/sh
# want "DL4005"
ONBUILD RUN ln -sfv /bin/bash /bin/sh
USER nobody
CMD ["true"]

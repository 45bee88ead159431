FROM nginx:1.27 AS base
HEALTHCHECK NONE

FROM base
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
ONBUILD HEALTHCHECK NONE
USER nobody
CMD ["nginx"]

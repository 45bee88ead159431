FROM nginx:1.27 AS web
HEALTHCHECK CMD ["true"]
# want "DL3012"
HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]
# want "DL3012"
HEALTHCHECK NONE
USER nobody
CMD ["nginx"]

# spec: DL3000 absolute, variable and Windows drive paths, quoted or not, are fine
FROM debian:bookworm-slim
WORKDIR /usr/local
# want "UndefinedVar"
WORKDIR ${work}
WORKDIR '/usr/local'
WORKDIR "/usr/local"
# want "UndefinedVar"
WORKDIR "${dir}"
WORKDIR 'C:\'
WORKDIR C:/
WORKDIR "C:/"
USER nobody
CMD ["true"]

# spec: DL3043 every other instruction under ONBUILD, and FROM outside ONBUILD
FROM debian:bookworm-slim
ONBUILD ADD anything.tar.gz /anywhere
ONBUILD USER anything
ONBUILD LABEL app="data"
ONBUILD STOPSIGNAL anything
ONBUILD COPY anything /anywhere
ONBUILD RUN anything
ONBUILD CMD ["anything"]
ONBUILD SHELL ["anything"]
ONBUILD WORKDIR /anything
ONBUILD EXPOSE 69
ONBUILD VOLUME anything
ONBUILD ENTRYPOINT ["anything"]
ONBUILD ENV MYVAR="bla"
ONBUILD ARG anything
ONBUILD HEALTHCHECK NONE
USER nobody
CMD ["true"]

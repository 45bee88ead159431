FROM opensuse/leap:15.6 AS build
RUN zypper install -y timezone=2024a && echo built > /out
FROM opensuse/leap:15.6
COPY --from=build /out /out
RUN zypper install -y httpd=2.4.51 && zypper clean --all
WORKDIR /
RUN zypper install -y jq=1.6 && zypper cc -a
WORKDIR /srv
RUN --mount=type=cache,target=/var/cache/zypp zypper install -y gzip=1.12
USER nobody
CMD ["true"]

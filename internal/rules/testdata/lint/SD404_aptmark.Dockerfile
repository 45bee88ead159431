FROM debian:bookworm-slim
ENV APP_VERSION=1.2.3
# The official images' idiom: record the manually installed packages,
# build, mark everything automatic, restore the record and purge the
# rest in the same RUN. The toolchain never reaches a layer.
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates=20230311 gcc=4:12.2.0-3 make=4.3-4.1 wget=1.21.3-1+b2; \
	wget -q -O app.tar.gz "https://example.com/app-$APP_VERSION.tar.gz"; \
	mkdir -p /usr/src/app; \
	tar -xzf app.tar.gz -C /usr/src/app --strip-components=1; \
	rm app.tar.gz; \
	make -C /usr/src/app install; \
	rm -rf /usr/src/app; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \
	rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["app"]

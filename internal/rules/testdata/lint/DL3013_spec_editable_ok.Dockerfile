# source: DL3013 the value of -e/--editable (and -i, -f, --src, ...) is dropped before the package check
FROM debian:bookworm-slim
RUN pip install --no-cache-dir -e git+https://github.com/org/pkg.git#egg=pkg
WORKDIR /
RUN pip install --no-cache-dir --editable .
WORKDIR /
RUN pip install --no-cache-dir -f /wheels -i https://pypi.example/simple pkg==1.0
USER nobody
CMD ["true"]

FROM python:3.12-slim
# want "DL3013: Pin versions in pip"
RUN pip install --no-cache-dir flask
WORKDIR /app
# Option values (index URL, target) are not packages; requests is unpinned.
# want "DL3013: Pin versions in pip"
RUN pip install --no-cache-dir --index-url https://pypi.example/simple --target /opt/lib requests "urllib3>=2"
WORKDIR /srv
# A VCS URL needs a revision.
# want "DL3013: Pin versions in pip"
RUN python3 -m pip install --no-cache-dir git+https://github.com/pallets/click.git
WORKDIR /opt
# want "DL3013: Pin versions in pip"
RUN <<EOF
pip install --no-cache-dir --upgrade pip
EOF
# want "DL3013: ONBUILD Pin versions in pip"
ONBUILD RUN pip3 install --no-cache-dir gunicorn
USER nobody
CMD ["true"]

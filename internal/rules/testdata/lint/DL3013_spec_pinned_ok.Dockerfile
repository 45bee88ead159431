# spec: DL3013 version operators ==, ~=, ===, >=, <, != and flags with values around a pinned package
FROM debian:bookworm-slim
RUN pip3 install --no-cache-dir requests_oauthlib==1.2.2
WORKDIR /
RUN pip install --no-cache-dir requests_oauthlib~=1.2.2
WORKDIR /
RUN pip install --no-cache-dir requests_oauthlib===1.2.2
WORKDIR /
RUN pip install --no-cache-dir --ignore-installed requests_oauthlib==1.2.2
WORKDIR /
RUN pip3 install --no-cache-dir --build /opt/ruff ruff==0.4.4
WORKDIR /
RUN pip3 install --no-cache-dir --prefix /opt/ruff ruff==0.4.4
WORKDIR /
RUN pip3 install --no-cache-dir --root /opt/ruff ruff==0.4.4
WORKDIR /
RUN pip3 install --no-cache-dir --target /opt/ruff ruff==0.4.4
WORKDIR /
RUN pip3 install --no-cache-dir --trusted-host host example==1.2.2
WORKDIR /
RUN python -m pip install --no-cache-dir example==1.2.2
WORKDIR /
RUN pip install --no-cache-dir 'sphinx>=0.7'
WORKDIR /
RUN pip install --no-cache-dir 'sphinx<0.7'
WORKDIR /
RUN pip install --no-cache-dir 'sphinx!=0.7'
WORKDIR /
RUN pip install requests_oauthlib==1.2.2 --user --no-cache-dir
WORKDIR /
RUN pip install requests_oauthlib==1.2.2 --disable-pip-version-check --no-cache-dir
WORKDIR /
RUN pip install --no-cache-dir --index-url https://pypi.example.com/simple widget==1.0.0
WORKDIR /
RUN pip install --no-cache-dir --index-url https://pypi.example.com/simple --extra-index-url https://mirror.example.org/simple widget==1.0.0
WORKDIR /
RUN pip install --no-cache-dir --index-url https://user:pass@pypi.example.com/simple --extra-index-url https://user:pass@mirror.example.org/simple widget==1.0.0
ONBUILD RUN pip3 install --no-cache-dir requests_oauthlib==1.2.2
USER nobody
CMD ["true"]

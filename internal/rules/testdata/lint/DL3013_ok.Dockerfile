FROM python:3.12-slim
WORKDIR /app
RUN pip install --no-cache-dir flask==3.0.3 "urllib3>=2" 'click~=8.1' ./wheels/x.whl \
      git+https://github.com/pallets/click.git@8.1.7 \
 && pip install --no-cache-dir -r requirements.txt \
 && pip install --no-cache-dir . \
 && pip install --no-cache-dir -e ./plugin \
 && pip install --no-cache-dir -c constraints.txt requests
USER nobody
CMD ["true"]

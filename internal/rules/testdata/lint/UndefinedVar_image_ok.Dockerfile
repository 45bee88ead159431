ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim
# python's ENV is unknown to strata: these may come from it.
ENV V=$PYTHON_VERSION LANG_COPY=$LANG
ENV PIP=$PIP_INDEX_URL
# The FROM line uses PYTHON_VERSION: the image is built around it.
ARG PYTHON_VERSION=${PYTHON_VERSION}
# Image-style names are not taken for typos (GOPATH is not PATH).
ENV GP=$GOPATH
USER nobody
CMD ["true"]

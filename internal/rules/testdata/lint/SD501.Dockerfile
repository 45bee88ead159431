FROM python:3.12-slim AS build
RUN python3 -m venv /venv

FROM python:3.12-slim
COPY --from=build /venv /venv
# No USER anywhere: the program runs as root.
# want "SD501: the final image never sets USER, so cat runs as root"
CMD ["cat", "/venv/pyvenv.cfg"]

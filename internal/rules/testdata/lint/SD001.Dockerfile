FROM debian:bookworm-slim
# want "SD001: the shell of this RUN does not parse"
RUN echo "unclosed
WORKDIR /app
RUN echo fine
SHELL ["powershell", "-Command"]
RUN Write-Host "this is not POSIX shell and is not parsed {"
USER nobody
CMD ["true"]

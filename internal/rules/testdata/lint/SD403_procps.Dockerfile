FROM debian:bookworm-slim
# The program comes from a package: its wrapper scripts (which often
# call ps, pgrep or pidof) cannot be seen, so procps is not judged; htop
# is a tool only a person runs.
# want "SD403: htop is installed in the final image but nothing uses it"
RUN apt-get update \
 && apt-get install -y --no-install-recommends gparted=1.3.1-1 procps=2:4.0.2-3 htop=3.2.2-2 \
 && rm -rf /var/lib/apt/lists/*
CMD ["/usr/sbin/gparted"]

FROM minio/minio:RELEASE.2024-06-13T22-53-53Z
# minio's own entrypoint steps down only when MINIO_USERNAME and
# MINIO_GROUPNAME are set: whether it runs as root depends on the run.
# want "SD501: keeps the ENTRYPOINT of minio/minio:RELEASE.2024-06-13T22-53-53Z: its docker-entrypoint.sh steps down when MINIO_USERNAME"
CMD ["minio", "server", "/data"]

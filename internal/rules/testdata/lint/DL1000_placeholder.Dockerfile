ARG VARIANT=bookworm
# A placeholder a script replaces before the build: BuildKit refuses it.
# want `DL1000: failed to parse stage name "REPLACE-ME"` "InvalidDefaultArgInFrom" "DL3006"
FROM REPLACE-ME
USER nobody
CMD ["true"]

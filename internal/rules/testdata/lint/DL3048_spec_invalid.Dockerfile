# spec: DL3048 reserved namespaces, an invalid character, bad first/last character, consecutive separators (also ONBUILD LABEL)
FROM debian:bookworm-slim
# want "DL3048"
LABEL com.docker.label="foo"
# want "DL3048"
LABEL io.docker.label="foo"
# want "DL3048"
LABEL org.dockerproject.label="foo"
# deviation: hadolint judges the key as written ($ is not allowed); BuildKit expands it first,
# and strata judges the expanded key, or nothing when the value is unknown (strata explain DL3048)
# want "UndefinedVar"
LABEL invalid$character="foo"
# want "DL3048"
LABEL .invalid="foo"
# want "DL3048"
LABEL -invalid="foo"
# want "DL3048"
LABEL 1invalid="foo"
# want "DL3048"
LABEL invalid..character="foo"
# want "DL3048"
LABEL invalid--character="foo"
# want "DL3048"
ONBUILD LABEL com.docker.label="foo"
USER nobody
CMD ["true"]

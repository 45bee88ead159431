# spec: a rule list with a name that is not made of D,L,S,C and digits ("bogus") is not a pragma at all: nothing is ignored
# target: DL3002
FROM scratch
# want "DL3002"
# hadolint ignore=bogus,DL3002
USER root

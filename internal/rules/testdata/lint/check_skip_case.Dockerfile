# check=skip=jsonargsrecommended,All
FROM alpine:3.20
USER nobody
# BuildKit compares check names as written: the directive above skips nothing.
# want "DL3025" "JSONArgsRecommended"
CMD echo hi

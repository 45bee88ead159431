# want "FromAsCasing: 'as' and 'FROM' keywords' casing do not match"
FROM alpine:3.20 as build
# want "FromAsCasing: 'As' and 'FROM' keywords' casing do not match"
FROM alpine:3.20 As build2
FROM alpine:3.20 AS final
COPY --from=build /etc/hostname /a
COPY --from=build2 /etc/hostname /b

# want "FromAsCasing: 'AS' and 'from' keywords' casing do not match"
from alpine:3.20 AS build
from alpine:3.20 as final
copy --from=build /etc/hostname /a

FROM alpine:3.21
COPY --frm=build /x /x

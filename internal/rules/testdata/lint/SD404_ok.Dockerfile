FROM golang:1.23 AS build
WORKDIR /src
COPY main.go .
# want "SD701: go re-runs whenever the files copied on line 3 change and downloads everything again"
RUN CGO_ENABLED=0 go build -o /out/app .

FROM node:22-slim AS web
WORKDIR /web
COPY package.json ./
# want "SD701: npm re-runs whenever the files copied on line 9 change and downloads everything again"
RUN npm install && npm run build

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
COPY --from=web /web/dist /static
ENTRYPOINT ["/app"]

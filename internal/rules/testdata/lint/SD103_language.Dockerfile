# settings: today=2026-12-05
# Node.js 16 and the deprecated openjdk image, in the stages the image is built from.
FROM openjdk:11-jre-slim AS java
RUN java -version

# want `SD103: the final image is built on node:16-alpine, past its end of life \(Node\.js 16: maintenance ended on 2023-09-11\): its packages get no security fixes; move to node:24-alpine`
FROM node:16-alpine
COPY server.js /srv/
USER node
CMD ["node", "/srv/server.js"]

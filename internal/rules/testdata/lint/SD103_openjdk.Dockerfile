# settings: today=2026-12-05
# want `SD103: the final image is built on openjdk:11-jre-slim, past its end of life \(OpenJDK 11: the openjdk image stopped receiving updates \(deprecated\) on 2022-07-31\): its packages get no security fixes; move to eclipse-temurin:11-jre`
FROM openjdk:11-jre-slim
COPY app.jar /app.jar
USER nobody
CMD ["java", "-jar", "/app.jar"]

FROM eclipse-temurin:21-jre-alpine
COPY app.jar /app.jar
USER nobody
# The JVM installs SIGTERM handlers (shutdown hooks) of its own.
ENTRYPOINT ["java", "-jar", "/app.jar"]

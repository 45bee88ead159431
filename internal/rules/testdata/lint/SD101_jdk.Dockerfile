FROM maven:3.9-eclipse-temurin-21 AS build
RUN mvn --version > /version

# A JDK in the final stage: a JRE is enough to run a jar.
# want "SD101: the final image is built on eclipse-temurin:21-jdk-jammy, a JDK"
FROM eclipse-temurin:21-jdk-jammy
COPY --from=build /version /app.jar
USER nobody
CMD ["java", "-jar", "/app.jar"]

FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY . .
RUN mvn -q -DskipTests package
EXPOSE 8080
CMD ["java", "-jar", "/build/target/app.jar"]

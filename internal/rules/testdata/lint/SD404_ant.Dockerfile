# A Java build with Debian's JDK and Ant ships the JDK and the build tool.
FROM debian:bookworm-slim
# want "DL3008"
RUN apt-get update && apt-get install -y --no-install-recommends default-jdk-headless ant && rm -rf /var/lib/apt/lists/*
COPY . /src
WORKDIR /src
# want "SD404: ant compiles in the final image"
RUN ant jar
USER nobody
CMD ["java", "-jar", "build/app.jar"]

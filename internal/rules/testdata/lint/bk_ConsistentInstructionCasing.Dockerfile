FROM alpine:3.20
# want "ConsistentInstructionCasing"
workdir /app
# want "ConsistentInstructionCasing"
Env A=1
ENV B=2
COPY app /app/

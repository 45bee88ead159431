FROM alpine:3.20
# want "ConsistentInstructionCasing: Command 'workdir' should match the case of the command majority"
workdir /app
# want "ConsistentInstructionCasing: Command 'Env' should match the case of the command majority"
Env A=1
ENV B=2
COPY app /app/

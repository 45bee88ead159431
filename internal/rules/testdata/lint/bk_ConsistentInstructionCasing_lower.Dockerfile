from alpine:3.20
workdir /app
# want "ConsistentInstructionCasing"
ENV A=1
copy app /app/

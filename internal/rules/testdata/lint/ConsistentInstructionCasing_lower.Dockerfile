from alpine:3.20
workdir /app
# want "ConsistentInstructionCasing: Command 'ENV' should match the case of the command majority"
ENV A=1
copy app /app/

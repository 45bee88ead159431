FROM alpine:3.20 AS build
FROM alpine:3.20 AS final
COPY --from=build /etc/hostname /a
# Mixed-case FROM is ConsistentInstructionCasing's business, not this rule's.
# want "ConsistentInstructionCasing: Command 'From' should match the case of the command majority"
From alpine:3.20 as other

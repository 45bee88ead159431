# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base
SHELL ["powershell", "-Command"]
FROM base
# SHELL is inherited from the base stage.
RUN apt-get install foo | Out-Null
USER ContainerUser
CMD ["cmd", "/c", "exit 0"]

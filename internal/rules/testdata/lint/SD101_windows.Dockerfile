# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022 AS build
SHELL ["powershell", "-Command"]
RUN Write-Host build

# Windows images are not judged.
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
USER ContainerUser
CMD ["cmd", "/c", "echo", "hi"]

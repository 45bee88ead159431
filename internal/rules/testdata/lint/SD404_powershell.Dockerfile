# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022
SHELL ["powershell", "-Command"]
WORKDIR C:\src
COPY app.csproj .
# want "SD404: dotnet publish compiles in the final image"
RUN dotnet publish -c Release -o C:\app
USER ContainerUser
ENTRYPOINT ["C:\\app\\app.exe"]

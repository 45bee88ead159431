# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022 AS build
SHELL ["powershell", "-Command"]
WORKDIR C:\src
# PowerShell RUNs are read as text.
# want "SD202: COPY copies the whole build context before the install on line 8"
COPY . .
RUN dotnet restore; dotnet publish -c Release -o C:\out

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
COPY --from=build C:\out C:\app
USER ContainerUser
ENTRYPOINT ["dotnet", "C:\\app\\app.dll"]

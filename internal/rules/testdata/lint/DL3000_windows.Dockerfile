# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\app
WORKDIR c:/tools
# want "DL3000: WORKDIR data is relative"
WORKDIR data
USER ContainerUser
CMD ["powershell", "-File", "C:\\app\\run.ps1"]

# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN New-Item -ItemType Directory C:\app
# want "DL3059: RUN follows another RUN"
RUN Set-Location C:\app
RUN Write-Host a; Write-Host b
RUN Write-Host c
USER ContainerUser
CMD ["powershell"]

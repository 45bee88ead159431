# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY app.ps1 C:\app\app.ps1
COPY app.ps1 c:/app/
# want `DL3045: COPY to relative destination app\\ without a WORKDIR`
COPY app.ps1 app\
USER ContainerUser
CMD ["powershell", "-File", "C:\\app\\app.ps1"]

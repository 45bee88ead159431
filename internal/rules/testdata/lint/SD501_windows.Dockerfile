# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
SHELL ["cmd", "/S", "/C"]
# Windows images are not judged.
CMD ["cmd", "/c", "echo", "hi"]

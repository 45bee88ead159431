import uvicorn


async def serve():
    server = uvicorn.Server(uvicorn.Config("src.app:app", port=8000))
    await server.serve()

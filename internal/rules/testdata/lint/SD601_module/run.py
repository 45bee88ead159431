import asyncio

from src.server import serve

if __name__ == "__main__":
    asyncio.run(serve())

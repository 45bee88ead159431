import http.server

http.server.HTTPServer(("", 8000), http.server.SimpleHTTPRequestHandler).serve_forever()

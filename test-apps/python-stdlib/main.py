# A Python app with the standard library only (issue 27): Berth detects main.py and
# starts `python main.py`, which listens on $PORT.
import importlib.util
import json
import os
import platform
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({
            "app": "python-stdlib",
            "python": platform.python_version(),
            "uid": os.getuid(),
            "venv": sys.prefix,
            "buildCa": os.path.exists("/etc/berth/build-ca.pem"),
            "pip": importlib.util.find_spec("pip") is not None,
            "path": self.path,
        }).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


port = int(os.environ.get("PORT", "8000"))
print(f"listening on {port}", flush=True)
ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()

const fs = require("fs");
fs.mkdirSync("dist", { recursive: true });
fs.copyFileSync("src/server.js", "dist/server.js");

// build.js writes public/build.json, the page data the server answers with.
// It runs at image build time (npm run build).
"use strict";
const fs = require("fs");
const path = require("path");

const pkg = require("./package.json");
const out = path.join(__dirname, "public");
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, "build.json"),
  JSON.stringify({ name: pkg.name, version: pkg.version, message: "hello from the Node example" }) + "\n"
);
console.log("wrote public/build.json");

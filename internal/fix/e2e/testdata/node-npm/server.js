// server.js counts the visits of / in /var/lib/visits/count, a directory
// the image declares as a VOLUME: the container must be able to write it.
"use strict";
const fs = require("fs");
const express = require("express");

const file = "/var/lib/visits/count";
const app = express();
app.get("/", (req, res) => {
  let n = 0;
  try {
    n = Number(fs.readFileSync(file, "utf8")) || 0;
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  n++;
  fs.writeFileSync(file, String(n));
  res.json({ message: "hello from Debian's Node", visits: n });
});

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`listening on :${port}`));

// server.js counts the visits of / in /var/lib/visits/count, a directory
// the image declares as a VOLUME: the container must be able to write it.
// express is Debian's node-express; visits is the local package under lib/.
"use strict";
const express = require("express");
const visits = require("visits");

const app = express();
app.get("/", (req, res) => {
  res.json({ message: "hello from Debian's Node", visits: visits("/var/lib/visits/count") });
});

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`listening on :${port}`));

// server.js is the Node example service, on Debian's express.
"use strict";
const express = require("express");
const build = require("./public/build.json");

const app = express();
app.get("/health", (req, res) => res.json({ status: "ok" }));
app.get("/", (req, res) => res.json(build));

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`listening on :${port}`));

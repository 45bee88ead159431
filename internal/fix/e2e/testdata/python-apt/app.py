"""Counts visits in a SQLite file under data/, which the process writes."""
import os
import sqlite3

from flask import Flask, jsonify

app = Flask(__name__)
DB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "visits.db")


@app.route("/")
def index():
    with sqlite3.connect(DB) as db:
        db.execute("CREATE TABLE IF NOT EXISTS visits (at TEXT)")
        db.execute("INSERT INTO visits VALUES (datetime('now'))")
        n = db.execute("SELECT count(*) FROM visits").fetchone()[0]
    return jsonify(message="hello from Debian's Flask", visits=n)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))

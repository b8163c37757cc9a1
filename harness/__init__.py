"""Starting the real things, shared by tests/, benchmarks/ and `make serve` (deploy/serve.py).

A free loopback port, `streamlit run` polled until healthy and always stopped (server), Debian's Chromium
with one set of flags under Playwright (browser), a throw-away PostgreSQL cluster (postgres). Neither
tests/ nor benchmarks/ imports the other; both import this package.
"""

"""The production set-up: nginx in front of `streamlit run`, systemd units, and `make serve` to try it locally."""

"""Dashboard pages: each lays out widgets and calls lib; no parsing, no maths."""

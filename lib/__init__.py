"""Campaign dashboard core for xã Sơn Giang: sources → normalize → validate → metrics → charts/report."""

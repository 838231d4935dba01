"""The demo 站群 (`govsite demo`): a realistic city portal with county and department sites, units,
columns, accounts and generated articles, for trying govsite out and for benchmarks."""

"""`govsite demo`."""

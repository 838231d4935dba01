"""Static publishing: renderer, dependency record, releases with manifests, tamper verifier (issue 5)."""

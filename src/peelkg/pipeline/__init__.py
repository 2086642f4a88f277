"""The build pipeline: read, reason, validate (validation/), store; and export of the result."""

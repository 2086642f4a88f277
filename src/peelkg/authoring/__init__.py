"""Writing new reports: the skeleton (`peelkg new-report`) and `peelkg add`."""

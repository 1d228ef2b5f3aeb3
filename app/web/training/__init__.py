"""Pages of training classes, attendance and hours earned elsewhere (issue 20)."""

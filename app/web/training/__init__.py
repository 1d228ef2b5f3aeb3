"""Pages of training classes (培训班): attendance, leave (issue 20)."""

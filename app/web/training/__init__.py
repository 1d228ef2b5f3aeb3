"""Training classes (培训班): classes and enrollment, attendance, completion, hours claims."""

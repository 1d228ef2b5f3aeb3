"""Training classes (培训班) with QR attendance, hours earned elsewhere (学时认定), and the
ledger lines of those two kinds (issue 20). Online hours stay with learning."""

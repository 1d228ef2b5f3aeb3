"""What every feature uses: refusals (errors), data scopes (access), the audit log,
paging and uploads waiting for a confirmation."""

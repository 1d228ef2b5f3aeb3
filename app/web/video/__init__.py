"""Video lessons on the web: the player's files and reports, uploads, evidence, hours."""

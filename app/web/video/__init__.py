"""Video lessons on the web: trainers' upload pages (uploads.py, under /teaching)."""

"""Video lessons: upload, playing, watch time, the hours rule and the evidence pages."""

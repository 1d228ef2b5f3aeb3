"""Video lessons: uploads and processing, streaming files, verified watch time, the hours
rule by video length, and the evidence trainers and HR read (docs/video.md)."""

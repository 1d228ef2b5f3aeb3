"""Parts of benchmarks/city_load.py: data set, preparation, wrk, rows, report."""

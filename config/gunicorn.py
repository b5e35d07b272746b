"""gunicorn settings shared by `make run`, the served-site benchmark, the Docker image and docker-compose.

Threaded workers: a browser's idle connection (a preconnect, a PDF download left open) waits in the worker's
poller instead of holding a whole worker, as it did with sync workers, and keep-alive saves a connection per
request. WEB_CONCURRENCY (read by gunicorn itself) sets the number of worker processes; GUNICORN_THREADS the
threads of each.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"

# gunicorn reads this file from its working directory (/app in the image, the project folder
# otherwise): an access log in JSON with tokens masked and no query strings (cramps/gunicorn_logging.py).
import os

from cramps.gunicorn_logging import ACCESS_LOG_FORMAT

logger_class = "cramps.gunicorn_logging.RedactingLogger"
access_log_format = ACCESS_LOG_FORMAT

# Worker processes: one per core of the machine (WEB_CONCURRENCY; 2, for a 2-core machine, when
# unset or empty). Each process
# holds the connections the kernel gave its socket (below), so with more processes than cores the
# busiest one's requests wait longest: on 2 cores, 2 processes answered /diary/ under load with a
# p99 of about 270 ms where 3 took about 390 ms, at the same requests a second (docs/performance.md).
workers = max(1, int(os.environ.get("WEB_CONCURRENCY") or 2))

# Threads in each worker process: a thread
# waiting for PostgreSQL or Redis lets another one run, and a browser's connection is kept
# open between requests (keep-alive) instead of being opened again for each one; the sync
# worker closed it after every answer. See docs/performance.md ("/diary/ under load").
worker_class = "gthread"
threads = 4
keepalive = 5

# Each worker process listens on a socket of its own (SO_REUSEPORT), and the kernel spreads new
# connections evenly among them; on one shared socket whichever worker woke first took the
# connection, and with keep-alive some workers ended up holding far more connections than
# others, so their requests waited longest. Same throughput; p99 under load about halved
# (docs/performance.md, "/diary/ under load").
reuse_port = True

# gunicorn reads this file from its working directory (/app in the image, the project folder
# otherwise): an access log in JSON with tokens masked and no query strings (cramps/gunicorn_logging.py).
from cramps.gunicorn_logging import ACCESS_LOG_FORMAT

logger_class = "cramps.gunicorn_logging.RedactingLogger"
access_log_format = ACCESS_LOG_FORMAT

"""gunicorn settings for planner, read by `planner-entrypoint` and the systemd unit.

Every value can be set from the environment (the unit's EnvironmentFile)."""

import multiprocessing
import os

bind = os.environ.get("PLANNER_BIND", "127.0.0.1:8000")
# Sync workers: two per core and one more; each request finishes within `timeout` because
# uploads are capped, imports are streamed and locks give up after PLANNER_LOCK_TIMEOUT.
workers = int(os.environ.get("PLANNER_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("PLANNER_WORKER_TIMEOUT", "30"))
graceful_timeout = 30  # a restart (SIGHUP) lets running requests finish
keepalive = 5
# Recycle workers now and then, so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# Only the reverse proxy may say who the client is (X-Forwarded-*); the app trusts as many
# proxies as PLANNER_TRUSTED_PROXIES says.
forwarded_allow_ips = os.environ.get("PLANNER_FORWARDED_ALLOW_IPS", "127.0.0.1")
# One line per request, with the request id nginx gives it. The app redacts private-link
# tokens from this logger before a line is written.
accesslog = os.environ.get("PLANNER_ACCESS_LOG", "-")
errorlog = os.environ.get("PLANNER_ERROR_LOG", "-")
access_log_format = '%(h)s %({x-request-id}i)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

"""Operations: configuration from the environment, security headers, health, logs,
the background worker, backups. Infrastructure, like ``audit`` and ``site``."""

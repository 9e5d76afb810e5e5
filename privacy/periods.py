"""How many days each kind of personal data is kept before the retention job removes it
(docs/privacy.md). Plain data, no Django: the settings read it, and each period can be
changed with the environment variable RETENTION_DAYS_<KIND>."""

__all__ = ["DEFAULT_RETENTION_DAYS"]

DEFAULT_RETENTION_DAYS = {
    "import_files": 30,
    "exports": 7,
    "archives": 7,
    "message_log": 180,
    "notifications": 365,
    "audit": 730,
    "inactive_accounts": 730,
}

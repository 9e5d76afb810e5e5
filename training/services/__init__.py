"""Training writes, one module per concern (keyword-only, typed, atomic):

- `campaigns`: create, change, start and close campaigns;
- `reminders`: campaign notices (assigned, due soon, overdue), the daily sweep;
- `renewals`: recertification of certificates close to expiry, the daily sweep;
- `sessions`: in-person sessions, check-in, attendance lists and their notices.

Import the module you need (`from training.services import campaigns`); this package
re-exports nothing."""

__all__: list[str] = []

from django.dispatch import Signal

# Sent after the transaction commits in which a running campaign was created, had its due
# date moved, or started or ended: who is overdue has changed. Arguments: campaign_id.
campaign_changed = Signal()

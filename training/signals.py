from django.dispatch import Signal

# Sent after the transaction in which a campaign was created, changed its due date or its
# status commits: who is overdue may have changed. Arguments: campaign_id.
campaign_changed = Signal()

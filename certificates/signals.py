from django.dispatch import Signal

# Sent after the transaction that saved a new certificate commits (first issue, re-issue or
# renewal). Arguments: certificate_id.
certificate_issued = Signal()

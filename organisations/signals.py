from django.dispatch import Signal

# Sent after the transaction in which a unit was merged into another commits.
# Arguments: source_id, target_id.
units_merged = Signal()

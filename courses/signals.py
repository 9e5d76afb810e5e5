from django.dispatch import Signal

# Sent after the transaction that recorded a CourseCompletion commits.
# Arguments: user_id, course_id, completion_id.
course_completed = Signal()

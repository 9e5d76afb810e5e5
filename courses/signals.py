from django.dispatch import Signal

# Sent after the transaction that recorded a CourseCompletion commits.
# Arguments: user_id, course_id, completion_id.
course_completed = Signal()

# Sent after the transaction in which a member cleared the last lesson of a course that was
# marked for review. Arguments: user_id, course_id.
course_restudied = Signal()

# Sent after the transaction in which a member completed (or re-read) a lesson.
# Arguments: user_id, lesson_id, course_id.
lesson_completed = Signal()

"""Events (forums, conferences, seminars), their calendar and iCalendar export, and awards."""

"""Messages: what planner tells contacts, members and staff, through the outbox."""

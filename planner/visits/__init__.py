"""Visit requests: the topics the host offers, the letters regencies send, the host's answers."""

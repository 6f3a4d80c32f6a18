"""The cockpit has no records of its own; it reads tasks, warnings, orders and scores."""

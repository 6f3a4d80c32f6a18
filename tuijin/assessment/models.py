"""Assessment schemes, indicators, rounds, scores and rankings."""

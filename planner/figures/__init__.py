"""The host's figures: where visitors come from, what they come to learn, month by month and
year by year."""

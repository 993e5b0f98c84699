"""Annual meetings of focal points and what is reported for them."""

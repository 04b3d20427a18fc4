"""The calendar tells the apps whose dates depend on it, without importing them: a
receiver recomputes what the new schedule moves and returns what moved."""

from django.dispatch import Signal

# Sent when the administrator asks for dates to be recomputed after a schedule changed;
# each receiver returns a list of {"number", "statutory": (old, new)} it moved.
schedule_recompute = Signal()

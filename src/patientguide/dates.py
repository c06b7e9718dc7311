"""Dates as patients read them, and review intervals."""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def format_date(d: dt.date) -> str:
    """3 March 2026: day, month in words, year (unambiguous in every English locale)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def add_years(d: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)

"""Counts in the messages people read: "1 question", "2 questions", never "1 questions"."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """`count` and `noun`, the noun in the plural (an s) unless the count is one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"

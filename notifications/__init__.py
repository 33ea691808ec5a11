"""Everything that reaches out first: outbox, rate-limited delivery, scheduler, broadcasts.

Not built yet. It will talk to messengers only through a Sender port and never import ``bot``.
"""

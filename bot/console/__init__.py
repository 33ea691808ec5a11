"""The terminal transport: the embedded front door that needs no token and no network.

``render`` turns an Outcome into lines, ``documents`` saves attached files, ``options`` maps a typed line
to a press or a message, ``lines`` reads input without blocking Ctrl-C, and ``chat`` is the loop.
"""

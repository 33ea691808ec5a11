"""Messenger-agnostic conversations: ``Incoming`` in, ``Outcome`` (replies) out.

``dialogs.engine.Engine`` routes each message to a flow in ``dialogs.flows``; all Russian text lives in
``dialogs.texts``; ``dialogs.testing.DialogClient`` drives conversations in tests like a person would.
"""

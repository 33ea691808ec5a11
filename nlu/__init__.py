"""Russian free text -> intent and entities, from training data in Rasa's YAML format.

``Understanding.parse(text) -> Parse`` has two backends: ``nlu.embedded`` (scikit-learn, the default, no
network) and ``nlu.rasa_http`` (a Rasa server's ``POST /model/parse``). The dialog engine routes by the
intent names in ``nlu/data/nlu.yml``; ``dialogs.intents`` is the table that maps them to flows.
"""

from nlu.types import Entity, IntentScore, NluUnavailable, Parse, Understanding

__all__ = ["Entity", "IntentScore", "NluUnavailable", "Parse", "Understanding"]

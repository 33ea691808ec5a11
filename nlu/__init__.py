"""Russian free text -> intent and entities (Rasa-compatible training data).

Not built yet: until it is, the dialog engine answers free text outside a waiting step with a short
"I did not understand" and the role's menu (see ``dialogs.engine.Engine._route_text``).
"""

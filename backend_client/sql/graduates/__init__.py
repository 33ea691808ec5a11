"""The graduates' store: the risk questionnaire's answers and the employment centres' slots and seats."""

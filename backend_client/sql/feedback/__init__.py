"""«Обратная связь» over SQL: tickets, their messages, assignment, answers through the outbox, ratings."""

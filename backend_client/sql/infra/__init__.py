"""The SQL store's plumbing, apart from its use cases: engines (inline SQLite, aiosqlite, asyncpg), prepared
statements, dialect helpers, column types, URLs, migrations, the use-case base class and the exactly-once
plumbing (update receipts, press keys)."""

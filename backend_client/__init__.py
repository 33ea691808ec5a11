"""Core records of Frontdoor: domain types, narrow ports and their implementations.

Flows and jobs depend on the protocols in :mod:`backend_client.ports`; the embedded SQL store in
:mod:`backend_client.sql` and the Redis conversation store in :mod:`backend_client.kv` implement them.
Nothing here knows about messengers or conversations.
"""

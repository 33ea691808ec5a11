"""Clients of external systems over HTTP (aiohttp), behind small interfaces their users define."""

"""Accounts: organisations, users, roles, API tokens, login rate limiting and authorization."""

"""Signing in: contact persons' and administrators' accounts, links, sessions and throttling."""

"""The SOAP adapter: spyne types, the service, fault mapping and the WSGI gateway.

Thin by design: parse, call one use case of the core, map errors (README, Conventions 1).
"""

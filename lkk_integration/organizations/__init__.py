"""Organizations as the billing keeps them: registration, houses, personal accounts and meters,
accounted readings and verdicts, the SOAP clients and their repeated requests."""

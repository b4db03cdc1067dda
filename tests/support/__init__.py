"""What the tests share, as plain functions (the fixtures are in tests/conftest.py):

- parts: the real parts a test needs (`need`), the PostgreSQL URL, free ports, tests/files/;
- organizations: the invented organizations the billing registers;
- cabinet: a contact person's actions through Flask's test client (`log_in`, `post_reading`,
  `upload_filled`, `send`, …) and what the tests read back;
- browser: the same in Chromium (`log_in`, `press`);
- soap: hand-written envelopes, faults, the JAX-WS form of a body, readings for the export;
- spreadsheets: the template filled in, LibreOffice re-saving, small sheets made by code;
- hostile: hostile and broken spreadsheet files;
- characters: every Unicode character, the forbidden ones, those XML can carry;
- threads: calls released at the same moment;
- rehearsal: the product run as production runs it (gunicorn, a PostgreSQL of its own);
- clients: zeep, suds and PHP's SoapClient behind one interface, and the JAX-WS client's source.
"""
